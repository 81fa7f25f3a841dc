/**
 * A stored IndexedDB database as fixture files (test/fixtures/store-v*): every
 * key and value of the database in one JSON file, each typed array in a value
 * kept as a binary file of its own beside it (`{ "$typed": "Uint8Array", "file": ... }`),
 * so the fixture is the bytes the code of its version wrote, readable in a diff.
 */
import { commands } from 'vitest/browser';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';

/** Typed arrays the stores hold: Arrow IPC and seed file bytes, cached embeddings. */
const TYPED = { Uint8Array, Float32Array } as const;
type TypedName = keyof typeof TYPED;

/** A value as written to the fixture's JSON: typed arrays replaced by file references. */
type Encoded = unknown;

/** What a fixture's JSON file holds. */
export interface FixtureDb {
  /** Every key of the database, with its encoded value, in key order. */
  entries: [string, Encoded][];
}

/** Files of one dump: the JSON and each binary file, relative to the fixture folder. */
export interface FixtureFiles {
  json: FixtureDb;
  binaries: Map<string, Uint8Array>;
}

/** Every entry of database `dbName`, with typed arrays split out under `bin/<prefix>-...`. */
export async function dumpDb(dbName: string, prefix: string): Promise<FixtureFiles> {
  const kv = idbBackend(dbName);
  const keys = (await kv.keys()).sort();
  const values = await kv.getMany(keys);
  const binaries = new Map<string, Uint8Array>();
  const entries = keys.map((key, i): [string, Encoded] => {
    const base = `bin/${prefix}-${key.replace(/[^\w.-]+/g, '_')}`;
    return [key, encode(values[i], base, binaries)];
  });
  return { json: { entries }, binaries };
}

function encode(value: unknown, path: string, out: Map<string, Uint8Array>): Encoded {
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!(name in TYPED)) throw new Error(`fixture: ${path}: cannot store a ${name}`);
    const file = `${path}.bin`;
    out.set(file, new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice());
    return { $typed: name, file };
  }
  if (Array.isArray(value)) return value.map((v, i) => encode(v, `${path}.${i}`, out));
  if (value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) {
      throw new Error(`fixture: ${path}: cannot store a ${value.constructor.name}`);
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, encode(v, `${path}.${k}`, out)]),
    );
  }
  return value;
}

/** Writes a dump into the fixture folder `dir` (relative to this file). */
export async function writeDump(dir: string, name: string, files: FixtureFiles): Promise<void> {
  await commands.writeFile(`${dir}/${name}.json`, `${JSON.stringify(files.json, null, 1)}\n`);
  for (const [file, bytes] of files.binaries) {
    await commands.writeFile(`${dir}/${file}`, toBase64(bytes), 'base64');
  }
}

/** Writes the fixture `dir/name.json` (and its binary files) into a new database `dbName`. */
export async function loadDump(dir: string, name: string, dbName: string): Promise<void> {
  const json = JSON.parse(await commands.readFile(`${dir}/${name}.json`)) as FixtureDb;
  const entries: [string, unknown][] = [];
  for (const [key, value] of json.entries) entries.push([key, await decode(value, dir)]);
  await idbBackend(dbName).setMany(entries);
}

async function decode(value: Encoded, dir: string): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => decode(v, dir)));
  if (value === null || typeof value !== 'object') return value;
  const { $typed, file } = value as { $typed?: TypedName; file?: string };
  if ($typed !== undefined && file !== undefined) {
    const bytes = fromBase64(await commands.readFile(`${dir}/${file}`, 'base64'));
    const Ctor = TYPED[$typed];
    return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await decode(v, dir);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
