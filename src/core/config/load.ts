/** Text to a valid config in one call: parse, then validate. */
import { ConfigError } from '../errors.ts';
import { parseConfigText } from './parse.ts';
import type { DataDesignerConfig } from './types.ts';
import { validateConfig } from './validate.ts';

/** Parses and validates config text; throws ConfigError (CONFIG_SYNTAX or CONFIG_INVALID) listing every problem. */
export function loadConfig(text: string, hint?: 'yaml' | 'json'): DataDesignerConfig {
  const result = validateConfig(parseConfigText(text, hint));
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}
