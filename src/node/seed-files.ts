/**
 * Node's side of seed datasets: reads the file a config's `seed_config.source.path`
 * names, relative to the config file's folder (an absolute path is used as is).
 *
 * A wildcard in the file name (`data/*.parquet`, `part-?.csv`, `[ab].jsonl`), as Data
 * Designer's local file seed source takes, reads every matching file in name order
 * as one dataset: their rows one after the other, columns in first-seen order.
 * Wildcards stop at the file name; the folders above it are literal.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import type { DataDesignerConfig } from '../core/config/types.ts';
import { readSeedDataset } from '../core/seed/read.ts';
import type { SeedDataset, SeedSource } from '../core/seed/types.ts';

const WILDCARD = /[*?[]/;
const WHERE = 'seed_config.source.path';

/** The seed files' bytes (one, or each match of a wildcard), or undefined without seed_config. */
async function readSeedSources(
  configPath: string,
  config: DataDesignerConfig,
): Promise<(SeedSource & { file: string })[] | undefined> {
  const path = config.seed_config?.source.path;
  if (path === undefined) return undefined;
  const full = resolve(dirname(configPath), path);
  const files = WILDCARD.test(basename(full)) ? await matching(path, full) : [full];
  const sources: (SeedSource & { file: string })[] = [];
  for (const file of files) {
    try {
      sources.push({ file, name: basename(file), bytes: new Uint8Array(await readFile(file)) });
    } catch (err) {
      throw seedError(
        `cannot read seed file '${path}' (looked for ${file}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  return sources;
}

/** Files of `full`'s folder whose names match its wildcard file name, in name order. */
async function matching(path: string, full: string): Promise<string[]> {
  const dir = dirname(full);
  if (WILDCARD.test(dir)) {
    throw seedError(
      `seed path '${path}': expected wildcards in the file name only, found one in the folder ${dir}`,
    );
  }
  let names: string[];
  try {
    // Files only: a folder whose name matches (`archive.csv/`) is not a seed file.
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  } catch (err) {
    throw seedError(
      `cannot list the folder of seed path '${path}' (${dir}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const pattern = wildcardRegExp(basename(full));
  const found = names.filter((n) => pattern.test(n)).sort();
  if (found.length === 0) {
    throw seedError(
      `seed path '${path}': expected at least one file matching it in ${dir}, found none`,
    );
  }
  return found.map((n) => join(dir, n));
}

/** `*` any run of characters, `?` one, `[...]` a class; everything else literal. */
function wildcardRegExp(name: string): RegExp {
  let source = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[' && name.indexOf(']', i + 1) > i + 1) {
      const end = name.indexOf(']', i + 1);
      const body = name.slice(i + 1, end).replace(/\\/g, '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** A config's seed file(s), parsed, with a digest of their bytes. */
interface LoadedSeed {
  /** The parsed file (files joined), for CompileOptions.seedData. */
  dataset: SeedDataset;
  /** SHA-256 of the files' names and bytes (hex): a changed file changes the run's config hash. */
  digest: string;
  /** The files read: the path, or each match of its wildcard. */
  files: string[];
}

/** Reads and parses the config's seed file(s), or undefined when it has none. */
export async function loadSeed(
  configPath: string,
  config: DataDesignerConfig,
): Promise<LoadedSeed | undefined> {
  const sources = await readSeedSources(configPath, config);
  if (!sources) return undefined;
  const hash = createHash('sha256');
  const datasets: SeedDataset[] = [];
  for (const source of sources) {
    if (sources.length > 1) hash.update(`${source.name}\n`);
    hash.update(source.bytes);
    datasets.push(await readSeedDataset(source));
  }
  return {
    dataset: joinDatasets(datasets, config.seed_config!.source.path),
    digest: hash.digest('hex'),
    files: sources.map((s) => s.file),
  };
}

/** The datasets' rows one after the other; a column missing from a file is null there. */
function joinDatasets(datasets: readonly SeedDataset[], name: string): SeedDataset {
  if (datasets.length === 1) return datasets[0]!;
  const columns = [...new Set(datasets.flatMap((d) => d.columns))];
  const rowCount = datasets.reduce((n, d) => n + d.rowCount, 0);
  const values = new Map<string, unknown[]>();
  for (const column of columns) {
    const joined: unknown[] = [];
    for (const d of datasets) {
      const part = d.values.get(column);
      for (let r = 0; r < d.rowCount; r++) joined.push(part ? part[r] : null);
    }
    values.set(column, joined);
  }
  return { name, columns, values, rowCount };
}

function seedError(message: string): ConfigError {
  return new ConfigError([{ path: WHERE, message }]);
}
