/**
 * Reading the JSON of a model provider's answer and checking a transport's
 * endpoint: the pieces the OpenAI-compatible and Anthropic transports share.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { TokenUsage } from './types.ts';

/** `value[key]` when `value` is an object, else undefined. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Token usage from `json.usage[promptKey]` / `[completionKey]`; 0 for what the answer left out. */
export function usageOf(json: unknown, promptKey: string, completionKey: string): TokenUsage {
  const usage = field(json, 'usage');
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    promptTokens: count(field(usage, promptKey)),
    completionTokens: count(field(usage, completionKey)),
  };
}

/** `endpoint` without trailing slashes; an INVALID_ARGUMENT naming `transport` unless it is an http(s) URL. */
export function checkEndpoint(endpoint: string, transport: string, example: string): string {
  if (typeof endpoint !== 'string' || !/^https?:\/\/[^\s/]+/i.test(endpoint)) {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `${transport} transport endpoint: expected an http(s) URL such as "${example}", got ${JSON.stringify(endpoint)}`,
    );
  }
  return endpoint.replace(/\/+$/, '');
}
