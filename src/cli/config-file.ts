/** Reading a config file for the CLI: parse, validate, compile. */
import { readFile } from 'node:fs/promises';
import { ConfigError, ErrorCodes, TabsynthError } from '../core/errors.ts';
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
import { runHash } from './run-hash.ts';

/**
 * The file's text, or a STORE_IO error naming the path and `what` it was to be
 * ('config', 'run config'). UTF-8 (a byte-order mark dropped), or UTF-16 with its
 * byte-order mark (as Windows editors save it); anything else is CONFIG_SYNTAX
 * naming the file, not text parsed into "a long string".
 */
export async function readConfigText(path: string, what = 'config'): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new TabsynthError(
      ErrorCodes.STORE_IO,
      `cannot read ${what} ${path}: ${(err as Error).message}`,
    );
  }
  const [a, b, c] = bytes;
  const [encoding, skip] =
    a === 0xff && b === 0xfe
      ? ['utf-16le', 2]
      : a === 0xfe && b === 0xff
        ? ['utf-16be', 2]
        : a === 0xef && b === 0xbb && c === 0xbf
          ? ['utf-8', 3]
          : ['utf-8', 0];
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch {
    throw new ConfigError(
      [
        {
          path,
          message: `expected a ${what} in UTF-8 text (or UTF-16 with a byte-order mark), found bytes that are not ${encoding.toUpperCase()} text`,
        },
      ],
      ErrorCodes.CONFIG_SYNTAX,
    );
  }
}

export interface LoadedPipeline extends CompiledPipeline {
  config: DataDesignerConfig;
  /** The config with every secret removed: what manifests store. */
  redacted: unknown;
  /** Hash of the redacted config and the data-shaping settings. */
  hash: string;
  /** The seed files the config reads (none without seed_config). */
  seedFiles: string[];
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
    hash: runHash(hash, seed?.digest),
    seedFiles: seed?.files ?? [],
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
