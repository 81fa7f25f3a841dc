/**
 * `npm run bench -- scheduler`: how close the async scheduler gets to the lower
 * bound of a DAG whose time is spent waiting on two rate-limited models, and how
 * much faster it is than the sequential (column-wise) engine on the same config.
 *
 * 2 samplers -> 3 llm-text columns on model A (a2 depends on a1) -> 2 llm-text on
 * model B that read A's columns. 2,000 rows, simulated fixed latency 50 ms,
 * A max_parallel_requests 32, B 16.
 */
import { loadConfig } from '../src/core/config/load.ts';
import { compilePlan } from '../src/core/config/compile.ts';
import { runEngine } from '../src/core/engine/run.ts';
import { NullStore } from './support/null-store.ts';
import { printFigures, printTable, round } from './support/report.ts';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 2000);
const LATENCY_MS = 50;
const LIMIT_A = 32;
const LIMIT_B = 16;

const yaml = `
model_providers:
  - name: sim
    provider_type: simulated
    simulated: { latency: { distribution: fixed, ms: ${LATENCY_MS} } }
model_configs:
  - { alias: A, model: model-a, provider: sim, inference_parameters: { max_parallel_requests: ${LIMIT_A} } }
  - { alias: B, model: model-b, provider: sim, inference_parameters: { max_parallel_requests: ${LIMIT_B} } }
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [a, b, c] } }
  - { name: level, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 10 } }
  - { name: a1, column_type: llm-text, model_alias: A, prompt: "Question about {{ topic }}" }
  - { name: a2, column_type: llm-text, model_alias: A, prompt: "Answer {{ a1 }}" }
  - { name: a3, column_type: llm-text, model_alias: A, prompt: "Hint at level {{ level }} on {{ topic }}" }
  - { name: b1, column_type: llm-text, model_alias: B, prompt: "Grade {{ a2 }}" }
  - { name: b2, column_type: llm-text, model_alias: B, prompt: "Summarise {{ a1 }} and {{ a3 }}" }
`;

async function measure(mode: 'async' | 'sequential'): Promise<number> {
  const config = loadConfig(yaml);
  const { plan, transports } = compilePlan(config, { overrides: { numRecords: ROWS, mode } });
  const started = performance.now();
  const result = await runEngine({
    plan,
    transports,
    store: new NullStore(),
    runId: `bench-${mode}`,
    config: {},
    configHash: mode,
  });
  if (result.rowsWritten !== ROWS)
    throw new Error(`${mode}: wrote ${result.rowsWritten} of ${ROWS}`);
  return (performance.now() - started) / 1000;
}

const cellsA = 3 * ROWS;
const cellsB = 2 * ROWS;
const modelBound =
  Math.max((cellsA * LATENCY_MS) / LIMIT_A, (cellsB * LATENCY_MS) / LIMIT_B) / 1000;
const criticalPath = (3 * LATENCY_MS) / 1000; // a1 -> a2 -> b1 for one row
const bound = Math.max(modelBound, criticalPath);

const measured = await measure('async');
const sequential = await measure('sequential');
const efficiency = bound / measured;
const speedup = sequential / measured;

printTable(
  `scheduler: ${ROWS} rows, fixed latency ${LATENCY_MS} ms, A limit ${LIMIT_A}, B limit ${LIMIT_B}`,
  [
    {
      mode: 'lower bound',
      seconds: bound,
      note: `max(model A ${round((cellsA * LATENCY_MS) / LIMIT_A / 1000)} s, model B ${round((cellsB * LATENCY_MS) / LIMIT_B / 1000)} s, critical path ${criticalPath} s)`,
    },
    { mode: 'async', seconds: measured, note: `efficiency ${round(efficiency)} (target >= 0.95)` },
    { mode: 'sequential', seconds: sequential, note: `speedup ${round(speedup)} (target >= 1.6)` },
  ],
);
printFigures({
  efficiency: round(efficiency),
  speedup: round(speedup),
  measured_s: round(measured),
  bound_s: round(bound),
  sequential_s: round(sequential),
});
