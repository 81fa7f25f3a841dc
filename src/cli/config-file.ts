/** Reading a config file for the CLI: parse, validate, compile. */
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TabsynthError } from '../core/errors.ts';
import { compilePlan } from '../core/config/compile.ts';
import { nodeGrammars } from '../node/grammars.ts';
import { nodeHttpFetch } from '../node/http-fetch.ts';
import type { CompiledPipeline } from '../core/config/compile.ts';
import { loadConfig } from '../core/config/load.ts';
import { configHash, redactSecrets } from '../core/config/secrets.ts';
import type { DataDesignerConfig, RunConfig } from '../core/config/types.ts';
import type { RunSettings } from '../core/engine/plan.ts';
import { loadSeed } from '../node/seed-files.ts';
import { resolveApiKeys } from '../node/api-keys.ts';

/** The file's text, or a STORE_IO error naming the path and `what` it was to be ('config', 'run config'). */
export async function readConfigText(path: string, what = 'config'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new TabsynthError(
      ErrorCodes.STORE_IO,
      `cannot read ${what} ${path}: ${(err as Error).message}`,
    );
  }
}

export interface LoadedPipeline extends CompiledPipeline {
  config: DataDesignerConfig;
  /** The config with every secret removed: what manifests store. */
  redacted: unknown;
  /** Hash of the redacted config and the data-shaping settings. */
  hash: string;
}

/**
 * Loads, validates (throws ConfigError listing every problem) and compiles a config.
 * `run` (a --run-config file's settings) replaces the config's own, field by field.
 */
export async function loadPipeline(
  path: string,
  overrides: Partial<RunSettings>,
  simulate: boolean,
  run: Partial<RunConfig> = {},
): Promise<LoadedPipeline> {
  const loaded = loadConfig(await readConfigText(path), formatHint(path));
  const config = { ...loaded, run: { ...loaded.run, ...run } };
  const seed = await loadSeed(path, config);
  const compiled = compilePlan(resolveApiKeys(config, process.env, simulate), {
    overrides,
    simulate,
    grammars: nodeGrammars,
    // Model requests over node:http keep-alive agents, not the global fetch (http-fetch.ts).
    fetch: nodeHttpFetch.fetch,
    preserveDroppedColumns: true,
    ...(seed ? { seedData: seed.dataset } : {}),
  });
  const hash = configHash(config, compiled.plan.settings);
  return {
    ...compiled,
    config,
    redacted: redactSecrets(config),
    // Resuming over a changed seed file would mix two datasets: its bytes are part of the hash.
    hash: seed ? `${hash}-${seed.digest.slice(0, 16)}` : hash,
  };
}

/** Overrides with the unset ones left out. */
export function definedOverrides(o: Partial<RunSettings>): Partial<RunSettings> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as Partial<RunSettings>;
}

/** 'json' for a .json file, 'yaml' for .yaml/.yml, else let the parser decide. */
export function formatHint(path: string): 'yaml' | 'json' | undefined {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return undefined;
}
