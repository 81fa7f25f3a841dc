/**
 * `tabsynth check-models CONFIG`: one small request per model alias, through the same
 * transport (and fetch) a run uses, so a wrong endpoint, key or model name shows before a long
 * run spends anything. Prints each alias with "ok" or its error (HTTP status,
 * endpoint, what to do); exit 1 when any alias fails. Keys are never printed: the
 * transport redacts them from every message, and a missing key names its variable.
 */
import { ModelBindings } from '../core/config/model-bindings.ts';
import { loadConfig } from '../core/config/load.ts';
import type { DataDesignerConfig, ModelConfig } from '../core/config/types.ts';
import { ErrorCodes, ModelError, TabsynthError } from '../core/errors.ts';
import { keyVariable, resolveApiKeys } from '../node/api-keys.ts';
import { nodeHttpFetch } from '../node/http-fetch.ts';
import { formatHint, readConfigText } from './config-file.ts';
import type { Output } from './output.ts';

/** The prompt of the check: short, and cheap to answer. */
const PROBE = 'Reply with the word OK.';
/** A check waits this long for an answer. */
const TIMEOUT_MS = 30_000;

export async function checkModelsCommand(
  path: string,
  output: Output,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const config = loadConfig(await readConfigText(path), formatHint(path));
  if (config.model_configs.length === 0) {
    output.out('no model aliases in the config: nothing to check');
    return 0;
  }
  // Unset key variables are reported per alias below, not as one config error.
  const resolved = resolveApiKeys(config, env, true);
  const bindings = new ModelBindings(resolved, { fetch: nodeHttpFetch.fetch });
  const results = await Promise.all(
    config.model_configs.map((m) => checkAlias(m, config, env, bindings)),
  );
  const width = Math.max(...config.model_configs.map((m) => m.alias.length));
  let failed = 0;
  for (const [i, m] of config.model_configs.entries()) {
    const problem = results[i];
    if (problem === undefined) output.out(`${m.alias.padEnd(width)}  ok`);
    else {
      failed++;
      output.out(`${m.alias.padEnd(width)}  FAILED ${problem}`);
    }
  }
  if (failed > 0) output.err(`${failed} of ${results.length} model aliases failed`);
  return failed > 0 ? 1 : 0;
}

/** undefined when the alias answered, else a line saying what failed and what to do. */
async function checkAlias(
  model: ModelConfig,
  config: DataDesignerConfig,
  env: Record<string, string | undefined>,
  bindings: ModelBindings,
): Promise<string | undefined> {
  const provider = config.model_providers.find((p) => p.name === model.provider);
  const keyVar = keyVariable(provider?.api_key);
  if (provider && provider.provider_type !== 'simulated' && keyVar && !env[keyVar]) {
    return `provider '${provider.name}' at ${provider.endpoint}: its key variable ${keyVar} is not set; set it in the environment and check again`;
  }
  const binding = bindings.bind(model.alias);
  const transport = bindings.transports.get(binding.modelKey)!;
  const embedding = model.inference_parameters.generation_type === 'embedding';
  try {
    if (embedding) {
      if (!transport.embed) return 'this provider has no embeddings endpoint';
      await transport.embed({ model: model.model, input: ['ok'], seed: 0, timeoutMs: TIMEOUT_MS });
    } else {
      await transport.chat({
        model: model.model,
        messages: [{ role: 'user', content: PROBE }],
        max_tokens: 8,
        seed: 0,
        timeoutMs: TIMEOUT_MS,
        ...(binding.extra_body ? { extra_body: binding.extra_body } : {}),
      });
    }
    return undefined;
  } catch (err) {
    return describeFailure(err, keyVar);
  }
}

function describeFailure(err: unknown, keyVar: string | null): string {
  if (!(err instanceof TabsynthError)) return `error: ${String((err as Error)?.message ?? err)}`;
  const status = err instanceof ModelError ? err.status : undefined;
  const head = `[${err.code}${status !== undefined ? ` ${status}` : ''}] ${err.message}`;
  return `${head}\n    what to do: ${advice(err.code, status, keyVar)}`;
}

function advice(code: string, status: number | undefined, keyVar: string | null): string {
  const key = keyVar ? `the key in ${keyVar}` : "the provider's api_key";
  if (status === 401 || status === 403)
    return `check ${key}: the endpoint refused it, or it has no access to this model`;
  if (status === 404) return 'check the model name and the endpoint URL (it usually ends in /v1)';
  if (code === ErrorCodes.MODEL_RATE_LIMITED)
    return 'the endpoint works but is at its rate limit: lower max_parallel_requests or wait';
  if (code === ErrorCodes.MODEL_SERVER)
    return 'the server failed: check that it is up and has the model loaded, then try again';
  if (code === ErrorCodes.MODEL_NETWORK)
    return 'no answer: check the endpoint URL, that the server runs, and that this machine can reach it';
  if (code === ErrorCodes.MODEL_TIMEOUT)
    return 'no answer in time: check that the server is not overloaded, or raise the alias timeout';
  if (code === ErrorCodes.MODEL_BAD_RESPONSE)
    return 'the endpoint answered but not as an OpenAI-compatible API: check the endpoint URL and provider_type';
  return 'check the request the endpoint refused: model name, inference parameters, extra_body';
}
