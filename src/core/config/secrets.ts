/**
 * Secrets never leave memory (SPEC 1): `redactSecrets` gives the config as it may be
 * stored, exported or shared, and `configHash` identifies a run's config for resume
 * (SPEC 3.8) without depending on any secret.
 */
import type { RunSettings } from '../engine/plan.ts';
import { dataShapingSettings } from './run-settings.ts';

/** What replaces a redacted header value. */
const REDACTED = '[redacted]';

/** Header names whose values are credentials. */
const AUTH_HEADER = /auth|token|key|secret|password|cookie|session/i;
/** Header values that look like credentials whatever their header's name. */
const AUTH_VALUE = /^\s*(bearer|basic|token)\s+\S/i;

/**
 * A deep copy of `config` without secrets: every `api_key` becomes null, and every
 * `extra_headers` value that looks like a credential becomes '[redacted]'.
 */
export function redactSecrets<T>(config: T): T {
  return redact(config, '') as T;
}

function redact(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, ''));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'api_key' || k === 'apiKey') out[k] = null;
    else if (key === 'extra_headers' && typeof v === 'string') {
      out[k] = AUTH_HEADER.test(k) || AUTH_VALUE.test(v) ? REDACTED : v;
    } else out[k] = redact(v, k);
  }
  return out;
}

/**
 * A stable hash of the redacted config (without its `run` section and the models'
 * budgets and prices) and the
 * settings that shape the data: seed, num_records and buffer_size (row groups).
 * Mode, tracing and concurrency limits do not change the rows, so not the hash.
 * 16 hex digits of FNV-1a 64 over sorted-key JSON.
 */
export function configHash(config: object, settings: RunSettings): string {
  const { run: _run, ...rest } = redactSecrets(config) as Record<string, unknown>;
  // Budgets and prices (model_configs[].tabsynth) do not change the rows.
  if (Array.isArray(rest['model_configs'])) {
    rest['model_configs'] = rest['model_configs'].map((m: unknown) => {
      if (typeof m !== 'object' || m === null) return m;
      const { tabsynth: _own, ...other } = m as Record<string, unknown>;
      return other;
    });
  }
  return fnv1a64(stableJson({ config: rest, settings: dataShapingSettings(settings) }));
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a 64 of the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h.toString(16).padStart(16, '0');
}
