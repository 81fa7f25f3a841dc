/**
 * Runs a Data Designer fixture (test/fixtures/dd/<name>/config.yaml) in process,
 * as the CLI does but into a MemoryStore: loadConfig, the seed file next to the
 * config, compilePlan with the simulated provider and Node's grammars, runEngine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import type { DataDesignerConfig } from '../../../src/core/config/types.ts';
import type { RunSettings } from '../../../src/core/engine/plan.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import type { RunResult } from '../../../src/core/engine/events.ts';
import type { ModelTransport } from '../../../src/core/models/types.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { nodeGrammars } from '../../../src/node/grammars.ts';
import { loadSeed } from '../../../src/node/seed-files.ts';

/** The folder holding one sub-folder per Data Designer config. */
export const FIXTURES_DIR = resolve(__dirname, '../../fixtures/dd');

/** Names of the fixture folders, sorted. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Path of a fixture's config file. */
export function fixturePath(name: string): string {
  return join(FIXTURES_DIR, name, 'config.yaml');
}

/** A fixture's config, validated (throws ConfigError listing every problem). */
export function loadFixture(name: string): DataDesignerConfig {
  return loadConfig(readFileSync(fixturePath(name), 'utf8'), 'yaml');
}

export interface FixtureRun {
  config: DataDesignerConfig;
  result: RunResult;
  /** Output columns of the committed row groups (drop: true and dropped columns removed). */
  columns: string[];
  /** Every committed row, in row order. */
  rows: Row[];
  /** Rows of each processor's second table (schema_transform), by processor name. */
  extraTables: Record<string, Row[]>;
}

export interface RunFixtureOptions {
  /** Run settings over the config's `run` section. Default: none. */
  overrides?: Partial<RunSettings>;
  /** Wraps each (simulated) model transport, e.g. to reorder completions. Default: none. */
  wrapTransport?: (transport: ModelTransport, key: string) => ModelTransport;
  /** Called with the run's promise before it is awaited (to drive a wrapped transport). */
  drive?: (run: Promise<RunResult>) => Promise<unknown>;
}

/** Generates a fixture with every model on the simulated provider. */
export async function runFixture(
  name: string,
  options: RunFixtureOptions = {},
): Promise<FixtureRun> {
  const { overrides = {}, wrapTransport, drive } = options;
  const config = loadFixture(name);
  const seed = await loadSeed(fixturePath(name), config);
  const { plan, transports } = compilePlan(config, {
    simulate: true,
    overrides,
    grammars: nodeGrammars,
    ...(seed ? { seedData: seed.dataset } : {}),
  });
  const wrapped = wrapTransport
    ? new Map([...transports].map(([key, t]) => [key, wrapTransport(t, key)]))
    : transports;
  const store = new MemoryStore();
  const running = runEngine({
    plan,
    transports: wrapped,
    store,
    runId: name,
    config,
    configHash: `${name}-hash`,
  });
  if (drive) await drive(running);
  const result = await running;
  const rows: Row[] = [];
  const extraTables: Record<string, Row[]> = {};
  let columns: string[] = [];
  for (const id of store.committedGroupIds(name)) {
    const group = await store.readRowGroup(name, id);
    columns = group.columns;
    rows.push(...group.rows);
    for (const [table, data] of Object.entries(group.extraTables ?? {})) {
      (extraTables[table] ??= []).push(...data.rows);
    }
  }
  return { config, result, columns, rows, extraTables };
}
