/**
 * A config (text or object) to a compiled pipeline in the browser: parse, validate,
 * read the seed file from its bytes, compile, redact, hash. The browser twin of the
 * CLI's loadPipeline (src/cli/config-file.ts).
 */
import { browserGrammars } from '../browser/grammars.ts';
import { compilePlan } from '../core/config/compile.ts';
import type { CompiledPipeline } from '../core/config/compile.ts';
import { loadConfig } from '../core/config/load.ts';
import { parseConfigText } from '../core/config/parse.ts';
import { configHash, redactSecrets } from '../core/config/secrets.ts';
import type { DataDesignerConfig } from '../core/config/types.ts';
import { validateConfig } from '../core/config/validate.ts';
import type { RunSettings } from '../core/engine/plan.ts';
import { ConfigError } from '../core/errors.ts';
import type { ConnectionPolicy } from '../core/models/connection-budget.ts';
import type { FetchLike } from '../core/models/fetch.ts';
import type { ModelTransport } from '../core/models/types.ts';
import { readSeedDataset } from '../core/seed/read.ts';
import type { FileBytes } from './engine-api.ts';

export interface BrowserPipeline extends CompiledPipeline {
  config: DataDesignerConfig;
  /** The validated config without secrets: what the manifest stores. */
  redacted: unknown;
  /**
   * The config as parsed, before validation filled in defaults, without secrets:
   * what resume and export compile again (validation is only guaranteed to accept
   * what a user wrote, not its own normalised output).
   */
  source: unknown;
  /** Hash of the redacted config and the data-shaping settings (resume key). */
  hash: string;
  /** Whether every model ran on the simulated provider. Default: false. */
  simulate: boolean;
  /** Whether a seed dataset file was given. Default: false. */
  seeded: boolean;
}

export interface PipelineOptions {
  /** Run settings over the config's `run` section. Default: none. */
  overrides?: Partial<RunSettings>;
  /** Every model on the simulated provider. Default: false. */
  simulate?: boolean;
  /** The seed dataset file. Default: none. */
  seedFile?: FileBytes;
  /** How model requests leave (relay-fetch.ts through `npx tabsynth serve`). Default: the browser's fetch. */
  fetch?: FetchLike;
  /** The connection limit of each endpoint (SPEC 3.5). Default: none. */
  connectionPolicy?: ConnectionPolicy;
}

/** Parses (text) or validates (object) a config; throws ConfigError listing every problem. */
export function readConfig(config: string | object): DataDesignerConfig {
  if (typeof config === 'string') return loadConfig(config);
  const result = validateConfig(config);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

/** The config as written (parsed, not validated), secrets removed. */
export function sourceOf(config: string | object): unknown {
  return redactSecrets(typeof config === 'string' ? parseConfigText(config) : config);
}

export async function loadBrowserPipeline(
  source: string | object,
  options: PipelineOptions = {},
): Promise<BrowserPipeline> {
  const config = readConfig(source);
  const seedData = options.seedFile ? await readSeedDataset(options.seedFile) : undefined;
  const compiled = compilePlan(config, {
    ...(options.overrides ? { overrides: options.overrides } : {}),
    simulate: options.simulate ?? false,
    grammars: browserGrammars,
    ...(seedData ? { seedData } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.connectionPolicy ? { connectionPolicy: options.connectionPolicy } : {}),
  });
  return {
    ...compiled,
    config,
    redacted: redactSecrets(config),
    source: sourceOf(source),
    hash: configHash(config, compiled.plan.settings),
    simulate: options.simulate ?? false,
    seeded: options.seedFile !== undefined,
  };
}

/** `transports` with each real (not simulated) model's transport passed through `wrap`. */
export function wrapReal(
  transports: Map<string, ModelTransport>,
  pipeline: BrowserPipeline,
  wrap: (key: string, transport: ModelTransport) => ModelTransport,
): Map<string, ModelTransport> {
  const simulated = new Set(pipeline.plan.models.filter((m) => m.simulated).map((m) => m.key));
  return new Map([...transports].map(([key, t]) => [key, simulated.has(key) ? t : wrap(key, t)]));
}
