/**
 * The design in and out of text: YAML or JSON in Data Designer's format (secrets
 * removed), and share links carrying the config in the URL fragment (deflated,
 * base64url; never a secret).
 */
import { stringify } from 'yaml';
import { parseConfigText } from '../../core/config/parse.ts';
import { redactSecrets } from '../../core/config/secrets.ts';
import type { RawObject } from './defaults.ts';

export type ConfigFormat = 'yaml' | 'json';

/** Key order of an exported config: Data Designer's sections, then tabsynth's `run`. */
const SECTION_ORDER = [
  'model_providers',
  'model_configs',
  'seed_config',
  'columns',
  'constraints',
  'processors',
  'run',
];

function isObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses config text (YAML or JSON) into a design document: a `data_designer`
 * wrapper is unwrapped (its tabsynth extras kept). Throws the core's ConfigError
 * (CONFIG_SYNTAX) on unreadable text, or an Error when the text is not a mapping.
 */
export function importConfigText(text: string, hint?: ConfigFormat): RawObject {
  const parsed = parseConfigText(text, hint);
  if (!isObject(parsed))
    throw new Error('expected a config mapping with columns, found something else');
  if (!isObject(parsed['data_designer'])) return parsed;
  const inner: RawObject = { ...parsed['data_designer'] };
  for (const key of ['model_providers', 'run']) {
    if (parsed[key] !== undefined && inner[key] === undefined) inner[key] = parsed[key];
  }
  return inner;
}

/** The document with every secret removed and its sections in the usual order. */
export function exportableDocument(doc: RawObject): RawObject {
  const clean = redactSecrets(doc);
  const out: RawObject = {};
  for (const key of SECTION_ORDER) if (clean[key] !== undefined) out[key] = clean[key];
  for (const [key, value] of Object.entries(clean)) if (!(key in out)) out[key] = value;
  // A null api_key is noise in a file meant for sharing.
  for (const p of Array.isArray(out['model_providers']) ? out['model_providers'] : []) {
    if (isObject(p) && p['api_key'] === null) delete p['api_key'];
  }
  // A budgets-and-prices block emptied in the form is not written (Data Designer knows no such key).
  for (const m of Array.isArray(out['model_configs']) ? out['model_configs'] : []) {
    if (isObject(m) && isObject(m['tabsynth']) && Object.keys(m['tabsynth']).length === 0)
      delete m['tabsynth'];
  }
  return out;
}

/**
 * Config text without secrets. YAML is written for YAML 1.1 readers (Data Designer
 * loads configs with PyYAML): a string such as `2024-01-01`, `yes` or `12:30` keeps
 * its quotes, so it is not read back as a date, a boolean or a number.
 */
export function exportConfigText(doc: RawObject, format: ConfigFormat): string {
  const clean = exportableDocument(doc);
  return format === 'json'
    ? JSON.stringify(clean, null, 2) + '\n'
    : stringify(clean, { lineWidth: 100, version: '1.1' });
}

// ---------------------------------------------------------------------------
// Share links

/** The fragment key a share link carries the config under. */
export const SHARE_KEY = 'config';

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function pipeThrough(
  bytes: Uint8Array,
  stream: GenerateTransformStream,
): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

type GenerateTransformStream = CompressionStream | DecompressionStream;

/** `#config=<deflated JSON, base64url>` for `doc` without secrets. */
export async function shareFragment(doc: RawObject): Promise<string> {
  const json = JSON.stringify(exportableDocument(doc));
  const packed = await pipeThrough(
    new TextEncoder().encode(json),
    new CompressionStream('deflate-raw'),
  );
  return `#${SHARE_KEY}=${toBase64Url(packed)}`;
}

/** A share link, read: the document it carries (none when the hash has none), or why it could not be read. */
export type SharedLink = { doc: RawObject | undefined } | { error: unknown };

/** The document a share fragment carries, or undefined when `hash` has none. Throws on a damaged link. */
export async function readShareFragment(hash: string): Promise<RawObject | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get(SHARE_KEY);
  if (!packed) return undefined;
  const bytes = await pipeThrough(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
  return importConfigText(new TextDecoder().decode(bytes), 'json');
}
