/**
 * `npm run bench -- limits`: the limiter against the loopback OpenAI-compatible server
 * (test/support/openai-server.ts), extended with a rate limit and a queueing mode.
 *
 * - budget: `requests_per_minute: 240`, 48 rows: the most requests started in any one
 *   second, and the run's rate against 4 a second.
 * - headers: a server that allows 1,200 requests a minute (a bucket of one second's
 *   worth) and says so in its headers, 400 rows at the default max_parallel_requests:
 *   the share answered 429 and the time against the 20 s the budget allows; then the
 *   same server hiding its headers (AIMD alone, as before this limiter).
 * - queueing: a server that works on 4 requests at once, 200 ms each, and queues the
 *   rest; timeout 1 s, max_parallel_requests 32, 200 rows: timeouts and throughput
 *   (rows a second from the first request on) against the server's 20 a second.
 * - request path: 5,000 requests 256 at a time, the engine as `generate` runs it (its
 *   node:http fetch, a store that keeps no rows) against plain `fetch`, the server in its own process:
 *   wall and CPU time of this process.
 */
import { loadConfig } from '../src/core/config/load.ts';
import { compilePlan } from '../src/core/config/compile.ts';
import { runEngine } from '../src/core/engine/run.ts';
import type { FetchLike } from '../src/core/models/fetch.ts';
import { nodeHttpFetch } from '../src/node/http-fetch.ts';
import { startOpenAIServer } from '../test/support/openai-server.ts';
import { NullStore } from './support/null-store.ts';
import { printFigures, printTable, round } from './support/report.ts';
import { startServerProcess } from './support/server-process.ts';

const PATH_REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 5000);
const PATH_PARALLEL = 256;

function configYaml(endpoint: string, model: string, rows: number): string {
  return `
model_providers:
  - { name: local, endpoint: "${endpoint}", provider_type: openai }
model_configs:
  - ${model}
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [a, b, c] } }
  - { name: text, column_type: llm-text, model_alias: m, prompt: "Write about {{ topic }}" }
run: { num_records: ${rows}, buffer_size: ${Math.min(rows, 1000)} }
`;
}

/**
 * Runs the engine on a config with the command's fetch (src/node/http-fetch.ts), as
 * `generate` does. `watch`: through a wrapper that notes when each request started and
 * counts the ones the client gave up on (timeouts).
 */
async function runConfig(yaml: string, watch = true) {
  let timeouts = 0;
  const starts: number[] = [];
  const watching: FetchLike = async (url, init) => {
    starts.push(performance.now());
    try {
      return await nodeHttpFetch.fetch(url, init);
    } catch (err) {
      if (init?.signal?.aborted) timeouts++;
      throw err;
    }
  };
  const { plan, transports } = compilePlan(loadConfig(yaml), {
    fetch: watch ? watching : nodeHttpFetch.fetch,
  });
  const started = performance.now();
  const result = await runEngine({
    plan,
    transports,
    store: new NullStore(),
    runId: 'bench',
    config: {},
    configHash: 'bench',
  });
  const ended = performance.now();
  return { result, seconds: (ended - started) / 1000, timeouts, starts, ended };
}

async function budget() {
  const server = await startOpenAIServer({ latencyMs: 20 });
  const model =
    '{ alias: m, model: m, provider: local, inference_parameters: { max_parallel_requests: 16 }, tabsynth: { requests_per_minute: 240 } }';
  const { starts } = await runConfig(configYaml(server.url, model, 48));
  await server.close();
  let peak = 0;
  for (let i = 0; i < starts.length; i++) {
    let n = 0;
    while (i + n < starts.length && starts[i + n]! < starts[i]! + 1000) n++;
    peak = Math.max(peak, n);
  }
  const rate = (starts.length - 1) / ((starts.at(-1)! - starts[0]!) / 1000);
  return { peak, rate, error: Math.abs(rate - 4) / 4 };
}

async function headers(sendHeaders: boolean) {
  const server = await startOpenAIServer({
    latencyMs: 20,
    rateLimit: { requestsPerMinute: 1200, headers: sendHeaders },
  });
  const rows = 400;
  const model = '{ alias: m, model: m, provider: local }';
  const { seconds } = await runConfig(configYaml(server.url, model, rows));
  const limited = server.rateLimited;
  await server.close();
  return { share: limited / rows, limited, seconds, ratio: seconds / (rows / 20) };
}

async function queueing() {
  const server = await startOpenAIServer({ queueing: { concurrency: 4, serviceMs: 200 } });
  const rows = 200;
  const model =
    '{ alias: m, model: m, provider: local, inference_parameters: { max_parallel_requests: 32, timeout: 1 } }';
  const { timeouts, result, starts, ended } = await runConfig(configYaml(server.url, model, rows));
  await server.close();
  // From the first request: the engine's own start-up is not the limiter's doing.
  const seconds = (ended - starts[0]!) / 1000;
  return { timeouts, seconds, rows: result.rowsWritten, ratio: result.rowsWritten / seconds / 20 };
}

function measure<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return fn().then(() => {
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  });
}

async function plainFetch(url: string): Promise<void> {
  let next = 0;
  const body = (i: number) =>
    JSON.stringify({ model: 'm', messages: [{ role: 'user', content: `Write about ${i}` }] });
  const worker = async () => {
    while (next < PATH_REQUESTS) {
      const i = next++;
      const res = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: body(i),
      });
      const json = JSON.parse(await res.text()) as { choices: { message: { content: string } }[] };
      if (!json.choices[0]?.message.content) throw new Error('no content');
    }
  };
  await Promise.all(Array.from({ length: PATH_PARALLEL }, worker));
}

async function requestPath() {
  // Idle connections stay open between rounds, as a real endpoint's do.
  const server = await startServerProcess({ keepAliveTimeoutMs: 120_000 });
  const model = `{ alias: m, model: m, provider: local, inference_parameters: { max_parallel_requests: ${PATH_PARALLEL} } }`;
  const yaml = configYaml(server.url, model, PATH_REQUESTS);
  const engine = async () => {
    const { result } = await runConfig(yaml, false);
    if (result.rowsWritten !== PATH_REQUESTS) throw new Error(`wrote ${result.rowsWritten}`);
  };
  await measure(() => plainFetch(server.url)); // warm both paths
  await measure(engine);
  const fetches: { wall: number; cpu: number }[] = [];
  const engines: { wall: number; cpu: number }[] = [];
  for (let round = 0; round < 3; round++) {
    fetches.push(await measure(() => plainFetch(server.url)));
    engines.push(await measure(engine));
  }
  server.close();
  const best = (xs: { wall: number; cpu: number }[]) => ({
    wall: Math.min(...xs.map((x) => x.wall)),
    cpu: Math.min(...xs.map((x) => x.cpu)),
  });
  return { fetch: best(fetches), engine: best(engines) };
}

// `npm run bench -- limits path`: one case only (budget, headers, queueing or path).
const only = process.argv[2];
const b = !only || only === 'budget' ? await budget() : { peak: 0, rate: 0, error: 0 };
const none = { share: 0, limited: 0, seconds: 0, ratio: 0 };
const h = !only || only === 'headers' ? await headers(true) : none;
const a = !only || only === 'headers' ? await headers(false) : none;
const q =
  !only || only === 'queueing' ? await queueing() : { timeouts: 0, seconds: 0, rows: 0, ratio: 0 };
const p =
  !only || only === 'path'
    ? await requestPath()
    : { fetch: { wall: 1, cpu: 1 }, engine: { wall: 1, cpu: 1 } };

printTable('limits: loopback server', [
  {
    case: 'budget 240/min',
    figure: `peak ${b.peak} in 1 s`,
    value: round(b.rate),
    note: 'requests/s (target 4 ± 10%)',
  },
  {
    case: 'headers 1200/min',
    figure: `${h.limited} x 429`,
    value: round(h.ratio),
    note: `${round(h.seconds)} s vs 20 s (target <= 1.2x, 429 <= 5%)`,
  },
  {
    case: 'AIMD only',
    figure: `${a.limited} x 429`,
    value: round(a.ratio),
    note: `${round(a.seconds)} s vs 20 s (baseline)`,
  },
  {
    case: 'queueing 4 x 200 ms',
    figure: `${q.timeouts} timeouts`,
    value: round(q.ratio),
    note: `${q.rows} rows in ${round(q.seconds)} s (target >= 0.9 of 20/s)`,
  },
  {
    case: 'request path fetch',
    figure: `cpu ${round(p.fetch.cpu)} s`,
    value: round(p.fetch.wall),
    note: `${PATH_REQUESTS} requests, ${PATH_PARALLEL} at a time`,
  },
  {
    case: 'request path engine',
    figure: `cpu ${round(p.engine.cpu)} s`,
    value: round(p.engine.wall),
    note: 'target <= 1.25x fetch, wall and CPU',
  },
]);
printFigures({
  budget_peak_per_s: b.peak,
  budget_rate_error: round(b.error),
  headers_429_share: round(h.share),
  aimd_only_429_share: round(a.share),
  queueing_timeouts: q.timeouts,
  queueing_throughput_ratio: round(q.ratio),
  request_path_wall_ratio: round(p.engine.wall / p.fetch.wall),
  request_path_cpu_ratio: round(p.engine.cpu / p.fetch.cpu),
});
