import type { Clock } from '../clock.ts';
import type { PlanModel } from '../engine/plan.ts';
import type { ModelBinding } from '../generators/llm-text.ts';
import type { ConnectionPolicy } from '../models/connection-budget.ts';
import type { FetchLike } from '../models/fetch.ts';
import { createAnthropicTransport } from '../models/anthropic.ts';
import { createOpenAITransport } from '../models/openai.ts';
import { createSimulatedTransport } from '../models/simulated.ts';
import type { ModelTransport } from '../models/types.ts';
import { ConfigError } from '../errors.ts';
import { namesEnvVariable } from './default-providers.ts';
import type { AdmissionSettings } from '../models/aimd.ts';
import type { ModelPrices } from '../models/cost.ts';
import type {
  DataDesignerConfig,
  ModelConfig,
  ModelLimitsConfig,
  ModelProvider,
  RequestAdmissionConfig,
} from './types.ts';

interface ModelBindingOptions {
  /** Run every model on the simulated provider. */
  simulate?: boolean;
  clock?: Clock;
  fetch?: FetchLike;
  /** The connection limit of an endpoint where the engine runs (browserConnectionLimit in a page). Default: none. */
  connectionPolicy?: ConnectionPolicy;
}

/**
 * SPEC 3.5: one limiter and one transport per (provider, model). Aliases that share
 * one are capped by the smallest max_parallel_requests among them.
 */
export class ModelBindings {
  readonly transports = new Map<string, ModelTransport>();
  readonly #models = new Map<string, PlanModel>();
  readonly #aliases: Map<string, ModelConfig>;
  readonly #providers: Map<string, ModelProvider>;
  readonly #options: ModelBindingOptions;
  readonly #keyReported = new Set<string>();

  constructor(config: DataDesignerConfig, options: ModelBindingOptions) {
    this.#aliases = new Map(config.model_configs.map((m) => [m.alias, m]));
    this.#providers = new Map(config.model_providers.map((p) => [p.name, p]));
    this.#options = options;
  }

  /** The binding of a validated alias (validation guarantees alias and provider exist). */
  bind(alias: string): ModelBinding {
    const model = this.#aliases.get(alias)!;
    const provider = this.#providers.get(model.provider)!;
    const key = `${provider.name}/${model.model}`;
    const params = model.inference_parameters;
    const limit = Math.min(
      this.#models.get(key)?.maxParallelRequests ?? Infinity,
      params.max_parallel_requests,
    );
    const simulated = this.#options.simulate || provider.provider_type === 'simulated';
    const connection = simulated ? undefined : this.#options.connectionPolicy?.(provider.endpoint);
    const before = this.#models.get(key);
    const own = model.tabsynth;
    this.#models.set(key, {
      key,
      maxParallelRequests: limit,
      label: simulated ? `${key} (simulated)` : key,
      simulated,
      ...(connection ? { connection } : {}),
      // Aliases sharing a model share its budgets: the smallest of each wins.
      requestsPerMinute: least(before?.requestsPerMinute, own?.requests_per_minute),
      tokensPerMinute: least(before?.tokensPerMinute, own?.tokens_per_minute),
      prices: before?.prices ?? pricesOf(own),
      // A simulated provider's latency does not grow with concurrency: nothing to watch.
      // A short timeout set on an alias is what a burst at a queueing server breaks.
      latencyControl: simulated
        ? false
        : params.timeout !== null || before?.latencyControl === 'slow-start'
          ? 'slow-start'
          : 'at-cap',
    });
    if (!this.transports.has(key)) this.transports.set(key, this.#transport(provider));
    const chat = params.generation_type === 'chat-completion' ? params : undefined;
    const extraBody = { ...(provider.extra_body ?? {}), ...(params.extra_body ?? {}) };
    return {
      modelKey: key,
      model: model.model,
      temperature: chat?.temperature ?? null,
      top_p: chat?.top_p ?? null,
      max_tokens: chat?.max_tokens ?? null,
      timeout: params.timeout,
      extra_body: Object.keys(extraBody).length > 0 ? extraBody : null,
    };
  }

  /**
   * An `api_key` that still names an environment variable (Data Designer's
   * `NVIDIA_API_KEY`) was not resolved: the command line replaces it with the
   * variable's value, so it arrives here only where there is no environment (the
   * app), where the key must be typed in. Sending the variable's name as the key
   * would only fail at the endpoint.
   */
  #checkKey(provider: ModelProvider): void {
    const key = provider.api_key;
    if (key === null || !namesEnvVariable(key) || this.#keyReported.has(provider.name)) return;
    this.#keyReported.add(provider.name); // once per provider, however many aliases use it
    const i = [...this.#providers.keys()].indexOf(provider.name);
    throw new ConfigError([
      {
        path: `model_providers[${i}].api_key`,
        message: `provider '${provider.name}' needs its API key, which Data Designer reads from the environment variable ${key}; expected the key itself (enter it for '${provider.name}'), found the variable's name`,
      },
    ]);
  }

  /** The plan's models, each with the run's request-admission settings. */
  planModels(admission?: Partial<AdmissionSettings>): PlanModel[] {
    return [...this.#models.values()].map((m) => (admission ? { ...m, admission } : m));
  }

  #transport(provider: ModelProvider): ModelTransport {
    const { clock, fetch, simulate } = this.#options;
    if (simulate || provider.provider_type === 'simulated') {
      const settings = provider.provider_type === 'simulated' ? (provider.simulated ?? {}) : {};
      // The engine retries 5xx itself, outside the model's slot.
      return createSimulatedTransport(settings, clock, 0);
    }
    this.#checkKey(provider);
    const options = {
      endpoint: provider.endpoint,
      ...(provider.api_key ? { apiKey: provider.api_key } : {}),
      ...(provider.extra_headers ? { extraHeaders: provider.extra_headers } : {}),
      ...(fetch ? { fetch } : {}),
      ...(clock ? { clock } : {}),
      // The engine retries 5xx and connection errors itself, outside the model's slot.
      maxHttpRetries: 0,
    };
    return provider.provider_type === 'anthropic'
      ? createAnthropicTransport(options)
      : createOpenAITransport(options);
  }
}

function least(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null) return b ?? null;
  return b == null ? a : Math.min(a, b);
}

function pricesOf(own: ModelLimitsConfig | null): ModelPrices | null {
  if (!own || (own.input_price_per_million === null && own.output_price_per_million === null))
    return null;
  return {
    inputPerMillion: own.input_price_per_million ?? 0,
    outputPerMillion: own.output_price_per_million ?? 0,
  };
}

/** The engine's request-admission settings from the run's `request_admission` block. */
export function admissionSettings(
  c: RequestAdmissionConfig | null | undefined,
): Partial<AdmissionSettings> | undefined {
  if (!c) return undefined;
  return {
    decreaseFactor: c.multiplicative_decrease_factor,
    increaseStep: c.additive_increase_step,
    successesUntilIncrease: c.successes_until_increase,
    cooldownMs: c.cooldown_seconds * 1000,
    startupRampMs: c.startup_ramp_seconds * 1000,
  };
}
