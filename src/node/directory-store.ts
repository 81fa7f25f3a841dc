/**
 * A RowGroupStore on disk (SPEC 4, Node): one directory per run holding one Parquet
 * file per committed row group (part-00000.parquet, ...) and manifest.json.
 *
 * Atomicity: every file is written to a temp name beside it, then renamed over its
 * final name (atomic-files.ts); a commit puts its row group in place first and the
 * manifest that lists it is written after the group is durable (group-commit.ts:
 * commits that arrive together share one checkpoint of fsyncs and one manifest
 * write). A crash before that leaves a part file the manifest does not list (it is
 * ignored and overwritten on resume) and never a listed group that is missing.
 * Temp files (`.*.tmp`) left by a crash are ignored. In this process, reading the
 * manifest (loadManifest, listRuns, readRowGroup) first waits for the pending
 * checkpoint, so it lists every group whose commit has settled.
 *
 * Each part file is a self-contained Parquet file (zstd by default). Its Arrow schema
 * metadata records the group id, first row and surviving row indices, and each field
 * its tabsynth type, so `readRowGroup` returns the rows that were committed. The run
 * keeps one set of column types (widened when a later group shows more) so parts agree.
 *
 * manifest.json carries the layout's version (`schemaVersion`, DIRECTORY_SCHEMA_VERSION;
 * a manifest without one is version 1) and is checked field by field when read: a
 * damaged one is STORE_DAMAGED naming the file and the field, one written by a newer
 * tabsynth STORE_NEWER.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readSchema } from 'parquet-wasm/esm';
import { tableFromIPC } from 'apache-arrow';
import { ErrorCodes, RunError, StoreError } from '../core/errors.ts';
import { columnsToArrowTable, rowsToArrowTable } from '../core/export/arrow.ts';
import { arrowTableToRows, columnTypesOf } from '../core/export/arrow-read.ts';
import { inferColumnValuesTypes, mergeColumnTypes } from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import { readParquetTable, writeParquetBytes } from '../core/export/parquet.ts';
import { MAGIC, hasMagic } from '../core/export/parquet-footer.ts';
import type { ParquetCompression } from '../core/export/parquet.ts';
import type { RowGroupData, RowGroupStore, RunManifest } from '../core/storage/types.ts';
import { checkManifest, isRecordError, stampManifest } from '../core/storage/manifest-check.ts';
import { initParquetNode } from './parquet-init.ts';
import { placeFileSync, syncFiles, writeAtomic } from './atomic-files.ts';
import { GroupCommit } from './group-commit.ts';
import { fromRanges, toRanges } from '../core/storage/row-ranges.ts';
import { columnsOf } from '../core/storage/columnar.ts';
import { DROPPED_COLUMNS_TABLE } from '../core/config/compilers/processors.ts';

export const MANIFEST_FILE = 'manifest.json';
/** The run directory's layout version: 1, the layout since the first release. */
export const DIRECTORY_SCHEMA_VERSION = 1;
const META_GROUP = 'tabsynth.rowGroup';
const META_FIRST_ROW = 'tabsynth.firstRow';
const META_ROWS = 'tabsynth.rowIndices';

export interface DirectoryStoreOptions {
  /** The directory runs live in. Created when missing. */
  root: string;
  /**
   * 'per-run' (default): each run in `root/<runId>/`. 'single': `root` itself is the
   * one run's directory (the CLI's `--out DIR`); any runId maps to it.
   */
  layout?: 'per-run' | 'single';
  /** Codec of the part files. Default: 'zstd'. */
  compression?: ParquetCompression;
  /**
   * The manifest's file name: a shard of a run shares its directory with the other
   * shards and keeps a manifest of its own (SPEC 6). Default: 'manifest.json'.
   */
  manifestFile?: string;
  /**
   * The row groups this store's run writes, for `deleteRun` in a shared directory:
   * it removes only their parts. Default: every group.
   */
  ownsGroup?: (id: number) => boolean;
}

/** Folder of a run holding processors' second output tables, as Data Designer's `processors-files`. */
export const EXTRA_TABLES_DIR = 'processors-files';

/** The file name of row group `id`. */
export function partFileName(id: number): string {
  return `part-${String(id).padStart(5, '0')}.parquet`;
}

/** The row group id of part file `name` (`part-00012.parquet`: 12), or undefined for any other name. */
export function partIdOfFileName(name: string): number | undefined {
  const part = /^part-(\d+)\.parquet$/.exec(name);
  return part ? Number(part[1]) : undefined;
}

export class DirectoryStore implements RowGroupStore {
  readonly root: string;
  readonly layout: 'per-run' | 'single';
  readonly compression: ParquetCompression;
  readonly manifestFile: string;
  readonly #ownsGroup: (id: number) => boolean;
  /** Column types per run, so every part of a run is written with the same schema. */
  #types = new Map<string, ColumnTypes>();
  /** The manifest checkpoints of each run directory this store wrote to. */
  #groupCommits = new Map<string, GroupCommit>();
  /** Directories made (or found) by this store: a commit need not ask again. */
  #dirs = new Set<string>();

  constructor(options: DirectoryStoreOptions) {
    if (typeof options.root !== 'string' || options.root === '') {
      throw new StoreError(
        ErrorCodes.INVALID_ARGUMENT,
        `DirectoryStore root: expected a directory path, got ${JSON.stringify(options.root)}`,
      );
    }
    this.root = options.root;
    this.layout = options.layout ?? 'per-run';
    this.compression = options.compression ?? 'zstd';
    this.manifestFile = options.manifestFile ?? MANIFEST_FILE;
    this.#ownsGroup = options.ownsGroup ?? (() => true);
    initParquetNode();
  }

  /** The directory holding run `runId`. */
  runDir(runId: string): string {
    if (this.layout === 'single') return this.root;
    if (!/^[\w.-]+$/.test(runId) || runId.startsWith('.')) {
      throw new StoreError(
        ErrorCodes.INVALID_ARGUMENT,
        `run id: expected letters, digits, '_', '-' or '.' (not leading), got ${JSON.stringify(runId)}`,
      );
    }
    return join(this.root, runId);
  }

  /** The path of row group `id`'s Parquet file. */
  partPath(runId: string, id: number): string {
    return join(this.runDir(runId), partFileName(id));
  }

  /**
   * Where a processor's second output table (schema_transform) keeps its parts; the
   * dropped columns' table has its own folder beside the parts, as in Data Designer.
   */
  extraTableDir(runId: string, processor: string): string {
    if (processor === DROPPED_COLUMNS_TABLE) return join(this.runDir(runId), DROPPED_COLUMNS_TABLE);
    return join(this.runDir(runId), EXTRA_TABLES_DIR, processor);
  }

  extraTablePath(runId: string, processor: string, id: number): string {
    return join(this.extraTableDir(runId, processor), partFileName(id));
  }

  /** Names of the processors that wrote a second output table for this run. */
  async extraTableNames(runId: string): Promise<string[]> {
    const dir = join(this.runDir(runId), EXTRA_TABLES_DIR);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    const dropped = await readdir(this.extraTableDir(runId, DROPPED_COLUMNS_TABLE)).catch(() => []);
    if (dropped.length > 0) names.push(DROPPED_COLUMNS_TABLE);
    return names.sort();
  }

  /** A processor's table for committed row group `id`, or undefined when it wrote none. */
  async readExtraTable(runId: string, processor: string, id: number) {
    const bytes = await readFile(this.extraTablePath(runId, processor, id)).catch(() => undefined);
    return bytes ? arrowTableToRows(readParquetTable(bytes)) : undefined;
  }

  async loadManifest(runId: string): Promise<RunManifest | undefined> {
    await this.flush(runId);
    const manifest = await readManifestAt(this.runDir(runId), this.manifestFile);
    if (manifest && this.layout === 'per-run' && manifest.runId !== runId) return undefined;
    return manifest;
  }

  async saveManifest(manifest: RunManifest): Promise<void> {
    const dir = this.runDir(manifest.runId);
    await io(`save the manifest of run "${manifest.runId}"`, () => this.#makeDir(dir));
    await this.#groupCommit(dir).save(manifest);
  }

  async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    const dir = this.runDir(manifest.runId);
    const types = await this.#runTypes(manifest.runId, group);
    const metadata = new Map([
      [META_GROUP, String(group.id)],
      [META_FIRST_ROW, String(group.firstRow)],
      [META_ROWS, JSON.stringify(toRanges(group.rowIndices))],
    ]);
    const table = columnsToArrowTable(
      group.rowIndices.length,
      groupValues(group),
      group.columns,
      types,
      metadata,
    );
    const bytes = writeParquetBytes(table, { compression: this.compression });
    const files: string[] = [];
    await io(`commit row group ${group.id} of run "${manifest.runId}"`, async () => {
      await this.#makeDir(dir);
      // The group (and its processors' tables) first, the manifest that lists it once
      // they are durable (the group commit's next checkpoint).
      for (const [name, table] of Object.entries(group.extraTables ?? {})) {
        const extra = rowsToArrowTable(table.rows, table.columns, undefined, metadata);
        await this.#makeDir(this.extraTableDir(manifest.runId, name));
        const path = this.extraTablePath(manifest.runId, name, group.id);
        placeFileSync(path, writeParquetBytes(extra, { compression: this.compression }));
        files.push(path);
      }
      const path = join(dir, partFileName(group.id));
      placeFileSync(path, bytes);
      files.push(path);
    });
    this.#groupCommit(dir).add(files, manifest);
    this.#types.set(manifest.runId, types);
  }

  /**
   * Resolves once the run's manifest on disk lists every commit that has settled
   * (the pending checkpoint is written); rejects with a checkpoint's disk error.
   */
  async flush(runId: string): Promise<void> {
    await this.#groupCommits.get(this.runDir(runId))?.settled();
  }

  /** The group commit of run directory `dir`, made on first use. */
  #groupCommit(dir: string): GroupCommit {
    let commits = this.#groupCommits.get(dir);
    if (!commits) {
      const path = join(dir, this.manifestFile);
      commits = new GroupCommit({
        syncFiles: (paths) => io(`make row groups durable in ${dir}`, () => syncFiles(paths)),
        writeManifest: (m) =>
          io(`save the manifest of run "${m.runId}"`, () => writeAtomic(path, manifestText(m))),
      });
      this.#groupCommits.set(dir, commits);
    }
    return commits;
  }

  async #makeDir(dir: string): Promise<void> {
    if (this.#dirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.#dirs.add(dir);
  }

  async readRowGroup(runId: string, id: number): Promise<RowGroupData> {
    const manifest = await this.loadManifest(runId);
    if (!manifest)
      throw new RunError(ErrorCodes.RUN_NOT_FOUND, `no run "${runId}" in ${this.root}`);
    if (!manifest.committed.some((g) => g.id === id)) {
      const ids = manifest.committed.map((g) => g.id).join(', ') || 'none';
      throw new RunError(
        ErrorCodes.RUN_NOT_FOUND,
        `run "${runId}" has no committed row group ${id} (committed: ${ids})`,
      );
    }
    return this.readCommittedPart(runId, id);
  }

  /**
   * Row group `id`'s rows from its part file, without checking the manifest: for a
   * caller that took `id` from a manifest it loaded (an export reading every group).
   */
  async readCommittedPart(runId: string, id: number): Promise<RowGroupData> {
    const path = this.partPath(runId, id);
    const bytes = await io(`read row group ${id} of run "${runId}"`, () => readFile(path));
    const table = readParquetTable(bytes);
    const { columns, rows } = arrowTableToRows(table);
    const meta = table.schema.metadata;
    const rowIndices = fromRanges(JSON.parse(meta.get(META_ROWS) ?? '[]') as [number, number][]);
    return { id, firstRow: Number(meta.get(META_FIRST_ROW) ?? 0), rowIndices, columns, rows };
  }

  /** Column types of row group `id`'s file, read from its footer alone. */
  async rowGroupTypes(runId: string, id: number): Promise<ColumnTypes> {
    const bytes = await io(`read row group ${id} of run "${runId}"`, () =>
      readFile(this.partPath(runId, id)),
    );
    return columnTypesOf(tableFromIPC(readSchema(bytes).intoIPCStream()));
  }

  /**
   * The committed groups of `manifest` whose part file is missing or is not Parquet
   * (a file cut short, another file copied over it), each with what was found. Only
   * each file's first and last bytes are read: Parquet begins and ends with PAR1.
   */
  unreadableParts(manifest: RunManifest): { id: number; found: string }[] {
    const bad: { id: number; found: string }[] = [];
    for (const { id } of manifest.committed) {
      const found = partProblem(this.partPath(manifest.runId, id));
      if (found !== undefined) bad.push({ id, found });
    }
    return bad;
  }

  /** Every run whose manifest reads back; a damaged one is left out (loadManifest says why). */
  async listRuns(): Promise<RunManifest[]> {
    const dirs =
      this.layout === 'single'
        ? [this.root]
        : (await readdir(this.root, { withFileTypes: true }).catch(() => []))
            .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
            .map((e) => join(this.root, e.name));
    for (const commits of this.#groupCommits.values()) await commits.settled();
    const manifests: RunManifest[] = [];
    for (const dir of dirs) {
      const m = await readManifestAt(dir, this.manifestFile).catch((err: unknown) => {
        if (isRecordError(err)) return undefined;
        throw err;
      });
      if (m) manifests.push(m);
    }
    return manifests;
  }

  async deleteRun(runId: string): Promise<void> {
    const dir = this.runDir(runId);
    this.#types.delete(runId);
    // Let a checkpoint under way finish (its error no longer matters), then forget the run.
    await this.#groupCommits
      .get(dir)
      ?.settled()
      .catch(() => undefined);
    this.#groupCommits.delete(dir);
    for (const made of this.#dirs) {
      if (made === dir || made.startsWith(`${dir}/`)) this.#dirs.delete(made);
    }
    await io(`delete run "${runId}"`, async () => {
      if (this.layout === 'per-run') return rm(dir, { recursive: true, force: true });
      // The output directory itself: remove only what this store wrote there, its
      // processors' tables included.
      const tables = await this.extraTableNames(runId);
      for (const table of [dir, ...tables.map((t) => this.extraTableDir(runId, t))]) {
        const names = await readdir(table).catch(() => [] as string[]);
        const ours = names.filter((n) => this.#ownsFile(n));
        await Promise.all(ours.map((n) => rm(join(table, n), { force: true })));
      }
    });
  }

  /**
   * Whether a file of the run directory is this store's to delete: its manifest, its
   * groups' parts. A temp file is judged by the name it was to get: other shards
   * sharing the directory may be writing theirs.
   */
  #ownsFile(file: string): boolean {
    const name = isTempName(file) ? file.slice(1).replace(/\.[0-9a-f]+\.tmp$/, '') : file;
    const id = partIdOfFileName(name);
    return id === undefined ? name === this.manifestFile : this.#ownsGroup(id);
  }

  /** The run's types widened by this group's values; on resume, seeded from a committed part. */
  async #runTypes(runId: string, group: RowGroupData): Promise<ColumnTypes> {
    let known = this.#types.get(runId);
    if (!known) {
      const manifest = await this.loadManifest(runId);
      const last = manifest?.committed.at(-1);
      known = last ? await this.rowGroupTypes(runId, last.id).catch(() => ({})) : {};
    }
    return mergeColumnTypes(known, inferColumnValuesTypes(groupValues(group), group.columns));
  }
}

/** A group's columns as a record, read from its rows when it has no `values`. */
function groupValues(group: RowGroupData): Record<string, readonly unknown[]> {
  return Object.fromEntries(group.values ?? columnsOf(group.rows, group.columns));
}

async function readManifestAt(
  dir: string,
  file: string = MANIFEST_FILE,
): Promise<RunManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError(
      ErrorCodes.STORE_IO,
      `cannot read ${join(dir, file)}: ${(err as Error).message}`,
    );
  }
  const path = join(dir, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StoreError(
      ErrorCodes.STORE_DAMAGED,
      `${path} is damaged: expected JSON, found text that does not parse (${(err as Error).message})`,
      { record: path },
    );
  }
  if (!looksLikeRunManifest(value)) {
    throw new StoreError(
      ErrorCodes.STORE_DAMAGED,
      `${path}: expected a tabsynth run manifest, found JSON with none of its fields (${RUN_MANIFEST_KEYS.join(', ')}): ${dir} holds something else; write the run to another directory`,
      { record: path, foreign: true },
    );
  }
  return checkManifest(value, path, DIRECTORY_SCHEMA_VERSION);
}

/** Fields every tabsynth run manifest has: a file with none of them is another program's. */
const RUN_MANIFEST_KEYS = ['runId', 'configHash', 'committed'] as const;

/** Whether `value` could be a run manifest at all (damaged or not): an object with one of its fields. */
function looksLikeRunManifest(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  return RUN_MANIFEST_KEYS.some((k) => k in value);
}

/**
 * What is wrong with the part file at `path` ("missing", "5 bytes ..."), or undefined
 * when it looks like Parquet (PAR1 at both ends). Synchronous: a few system calls on a
 * file the page cache usually holds, where each asynchronous one is a round trip
 * through libuv's pool (thousands of parts: merge of a 1M-row run took 0.35 s longer).
 */
function partProblem(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : `a file that cannot be read (${code ?? String(err)})`;
  }
  try {
    const { size } = fstatSync(fd);
    const least = 2 * MAGIC.length + 4;
    if (size < least) return `${size} bytes, fewer than any Parquet file has`;
    const head = new Uint8Array(MAGIC.length);
    const tail = new Uint8Array(MAGIC.length);
    readSync(fd, head, 0, head.length, 0);
    readSync(fd, tail, 0, tail.length, size - tail.length);
    if (!hasMagic(head, 0) || !hasMagic(tail, 0)) {
      return `${size} bytes that are not a whole Parquet file (it does not begin and end with PAR1)`;
    }
    return undefined;
  } catch (err) {
    return `a file that cannot be read (${(err as Error).message})`;
  } finally {
    closeSync(fd);
  }
}

/** manifest.json's text: the manifest with the layout's version. */
function manifestText(manifest: RunManifest): string {
  return JSON.stringify(stampManifest(manifest, DIRECTORY_SCHEMA_VERSION), null, 2);
}

/** Temp files are hidden and end in .tmp: `.part-00000.parquet.<random>.tmp`. */
function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/** Disk errors as STORE_IO (or STORE_QUOTA when the disk is full), naming the action. */
async function io<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new StoreError(
        ErrorCodes.STORE_QUOTA,
        `cannot ${action}: the disk is full`,
        {},
        { cause: err },
      );
    }
    throw new StoreError(
      ErrorCodes.STORE_IO,
      `cannot ${action}: ${(err as Error).message}`,
      { errno: code },
      { cause: err },
    );
  }
}
