/**
 * Node's side of seed datasets: reads the file a config's `seed_config.source.path`
 * names, relative to the config file's folder (an absolute path is used as is).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import type { DataDesignerConfig } from '../core/config/types.ts';
import { readSeedDataset } from '../core/seed/read.ts';
import type { SeedDataset, SeedSource } from '../core/seed/types.ts';

/** The seed file's bytes, or undefined when the config has no seed_config. */
export async function readSeedSource(
  configPath: string,
  config: DataDesignerConfig,
): Promise<SeedSource | undefined> {
  const path = config.seed_config?.source.path;
  if (path === undefined) return undefined;
  const file = resolve(dirname(configPath), path);
  try {
    return { name: basename(file), bytes: new Uint8Array(await readFile(file)) };
  } catch (err) {
    throw new ConfigError([
      {
        path: 'seed_config.source.path',
        message: `cannot read seed file '${path}' (looked for ${file}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      },
    ]);
  }
}

/** A config's seed file, parsed, with a digest of its bytes. */
export interface LoadedSeed {
  /** The parsed file, for CompileOptions.seedData. */
  dataset: SeedDataset;
  /** SHA-256 of the file's bytes (hex): a changed file changes the run's config hash. */
  digest: string;
}

/** Reads and parses the config's seed file, or undefined when it has none. */
export async function loadSeed(
  configPath: string,
  config: DataDesignerConfig,
): Promise<LoadedSeed | undefined> {
  const source = await readSeedSource(configPath, config);
  if (!source) return undefined;
  const digest = createHash('sha256').update(source.bytes).digest('hex');
  return { dataset: await readSeedDataset(source), digest };
}
