/**
 * model_configs (Data Designer's models.py) and model_providers: inference
 * parameters with their ranges and per-request distributions, and tabsynth's
 * `simulated` provider settings.
 */
import { SIMULATED_FAULT_KINDS, type SimulatedSettings } from '../models/types.ts';
import { Fields, describe } from './reader.ts';
import {
  DEFAULT_PROVIDER_TYPE,
  type Distribution,
  type InferenceParams,
  type ModelConfig,
  type ModelLimitsConfig,
  type ModelProvider,
} from './types.ts';

export function readModelConfig(
  raw: unknown,
  path: string,
  issues: Fields['issues'],
): ModelConfig | undefined {
  const f = Fields.of(raw, path, issues);
  if (!f) return undefined;
  const model: ModelConfig = {
    alias: f.string('alias', { nonEmpty: true }),
    model: f.string('model', { nonEmpty: true }),
    provider: f.string('provider', { nonEmpty: true }),
    inference_parameters: readInference(f.object('inference_parameters', false), f),
    skip_health_check: f.bool('skip_health_check', false),
    tabsynth: readModelLimits(f.object('tabsynth', false)),
  };
  f.end();
  return model;
}

function readModelLimits(f: Fields | undefined): ModelLimitsConfig | null {
  if (!f) return null;
  const positive = { above: 0 };
  const price = { min: 0 };
  const limits: ModelLimitsConfig = {
    requests_per_minute: f.optNumber('requests_per_minute', null, positive),
    tokens_per_minute: f.optNumber('tokens_per_minute', null, positive),
    input_price_per_million: f.optNumber('input_price_per_million', null, price),
    output_price_per_million: f.optNumber('output_price_per_million', null, price),
  };
  f.end();
  return limits;
}

function readInference(p: Fields | undefined, parent: Fields): InferenceParams {
  const q = p ?? new Fields({}, parent.at('inference_parameters'), []);
  const declared = q.raw('generation_type');
  if (declared === 'image') {
    q.issue(
      'generation_type',
      "generation_type 'image' (image generation) is not supported; use a chat-completion model",
    );
  }
  const embedding =
    declared === 'embedding' ||
    (declared === undefined && (q.has('encoding_format') || q.has('dimensions')));
  if (
    declared !== undefined &&
    !['chat-completion', 'embedding', 'image'].includes(declared as string)
  ) {
    q.issue(
      'generation_type',
      `expected one of 'chat-completion', 'embedding', found ${describe(declared)}`,
    );
  }
  const common = {
    max_parallel_requests: q.optNumber('max_parallel_requests', 4, { integer: true, min: 1 }),
    timeout: q.optNumber('timeout', null, { min: 1 }),
    extra_body: q.record('extra_body', null),
  };
  let params: InferenceParams;
  if (embedding) {
    params = {
      generation_type: 'embedding',
      encoding_format: q.oneOf('encoding_format', ['float', 'base64'] as const, 'float'),
      dimensions: q.optNumber('dimensions', null, { integer: true, min: 1 }),
      ...common,
    };
  } else {
    params = {
      generation_type: 'chat-completion',
      temperature: readSampled(q, 'temperature', 0, 2),
      top_p: readSampled(q, 'top_p', 0, 1),
      max_tokens: q.optNumber('max_tokens', null, { integer: true, min: 1 }),
      ...common,
    };
  }
  q.end();
  return params;
}

/** A number in [min, max], or a uniform/manual distribution within it. */
function readSampled(
  f: Fields,
  key: string,
  min: number,
  max: number,
): number | Distribution | null {
  const v = f.obj[key];
  if (typeof v === 'number' || v === undefined || v === null)
    return f.optNumber(key, null, { min, max });
  const d = f.object(key);
  if (!d) return null;
  const range = `in [${min}, ${max}]`;
  const declared = d.raw('distribution_type');
  const p = d.object('params');
  const kind = declared ?? (p?.has('values') ? 'manual' : 'uniform');
  let out: Distribution | null = null;
  if (kind === 'uniform' && p) {
    const low = p.number('low', { min, max });
    const high = p.number('high', { min, max });
    if (low >= high)
      p.issue(
        'high',
        `expected a number above low (${low}) and ${range}, found the number ${high}`,
      );
    out = { distribution_type: 'uniform', params: { low, high } };
  } else if (kind === 'manual' && p) {
    const values = p.numberList('values', true, { minLength: 1 });
    values.forEach((x, i) => {
      if (x < min || x > max)
        p.issue(`values[${i}]`, `expected a number ${range}, found the number ${x}`);
    });
    const weights = p.raw('weights') != null ? p.numberList('weights', false) : null; // null: equal weights, as DD writes it
    if (weights && weights.length !== values.length) {
      p.issue(
        'weights',
        `expected ${values.length} weights (one per value), found ${weights.length}`,
      );
    } else if (weights && weights.reduce((a, b) => a + b, 0) <= 0) {
      p.issue('weights', 'expected weights summing to more than 0, found a sum of 0');
    }
    out = { distribution_type: 'manual', params: { values, weights } };
  } else if (kind !== 'uniform' && kind !== 'manual') {
    d.issue('distribution_type', `expected 'uniform' or 'manual', found ${describe(kind)}`);
  }
  p?.end();
  d.end();
  return out;
}

export function readModelProvider(
  raw: unknown,
  path: string,
  issues: Fields['issues'],
): ModelProvider | undefined {
  const f = Fields.of(raw, path, issues);
  if (!f) return undefined;
  const typeRaw = f.raw('provider_type');
  const lowered = typeof typeRaw === 'string' ? typeRaw.toLowerCase() : typeRaw;
  let provider_type: ModelProvider['provider_type'] = DEFAULT_PROVIDER_TYPE;
  if (lowered === 'simulated' || lowered === 'anthropic') provider_type = lowered;
  else if (lowered !== undefined && lowered !== null && lowered !== 'openai') {
    f.issue(
      'provider_type',
      `expected 'openai' (any OpenAI-compatible endpoint), 'anthropic' (Anthropic's Messages API) or 'simulated', found ${describe(typeRaw)}`,
    );
  }
  const simulated = provider_type === 'simulated';
  const endpoint = simulated
    ? f.optString('endpoint', '')
    : f.string('endpoint', { nonEmpty: true });
  if (!simulated && endpoint !== '' && !HTTP_URL.test(endpoint)) {
    f.issue('endpoint', `expected an http(s) URL, found ${describe(endpoint)}`);
  }
  const headers = f.record('extra_headers', null);
  if (headers) {
    for (const [k, v] of Object.entries(headers)) {
      if (!HEADER_NAME.test(k))
        f.issue(
          `extra_headers.${k}`,
          `expected an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~), found ${describe(k)}`,
        );
      else if (typeof v !== 'string')
        f.issue(`extra_headers.${k}`, `expected a string, found ${describe(v)}`);
      else if (/[\r\n\0]/.test(v))
        f.issue(`extra_headers.${k}`, 'expected a header value on one line, found a line break');
    }
  }
  const sim = f.object('simulated', false);
  if (sim && !simulated)
    f.issue(
      'simulated',
      "expected no simulated settings on a provider whose provider_type is not 'simulated'",
    );
  const provider: ModelProvider = {
    name: f.string('name', { nonEmpty: true }),
    endpoint,
    provider_type,
    api_key: f.optString('api_key', null),
    extra_body: f.record('extra_body', null),
    extra_headers: headers as Record<string, string> | null,
    simulated: sim ? readSimulated(sim) : null,
  };
  f.end();
  return provider;
}

const PROBABILITY = { min: 0, max: 1 };

/**
 * An http(s) URL with a host free of spaces: what fetch accepts. (Anything else failed
 * every request as a network error, retried until the run stopped.)
 */
const HTTP_URL = /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/i;
/** RFC 9110's token: the characters fetch accepts in a header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function readSimulated(f: Fields): SimulatedSettings {
  const out: SimulatedSettings = {};
  const l = f.object('latency', false);
  if (l) {
    const kind = l.oneOf('distribution', ['fixed', 'uniform', 'lognormal'] as const);
    if (kind === 'fixed') out.latency = { distribution: 'fixed', ms: l.number('ms', { min: 0 }) };
    else if (kind === 'uniform') {
      const min_ms = l.number('min_ms', { min: 0 });
      const max_ms = l.number('max_ms', { min: 0 });
      if (min_ms > max_ms)
        l.issue('max_ms', `expected a number >= min_ms (${min_ms}), found the number ${max_ms}`);
      out.latency = { distribution: 'uniform', min_ms, max_ms };
    } else {
      out.latency = {
        distribution: 'lognormal',
        median_ms: l.number('median_ms', { above: 0 }),
        sigma: l.number('sigma', { min: 0 }),
      };
    }
    l.end();
  }
  const q = f.object('faults', false);
  if (q) {
    const faults: NonNullable<SimulatedSettings['faults']> = {};
    for (const key of SIMULATED_FAULT_KINDS) {
      const v = q.optNumber(key, null, PROBABILITY);
      if (v !== null) faults[key] = v;
    }
    const retry = q.optNumber('retry_after_s', null, { min: 0 });
    if (retry !== null) faults.retry_after_s = retry;
    q.end();
    out.faults = faults;
  }
  const seed = f.optNumber('seed', null, { integer: true });
  if (seed !== null) out.seed = seed;
  const dim = f.optNumber('embedding_dim', null, { integer: true, min: 1, max: 65_536 });
  if (dim !== null) out.embedding_dim = dim;
  f.end();
  return out;
}
