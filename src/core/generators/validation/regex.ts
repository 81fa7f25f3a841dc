/**
 * `regex` validator (tabsynth's own): the value, as text, must match `pattern`:
 * in full (as Python's re.fullmatch, every alternative tried) when `full_match`,
 * else anywhere in it.
 */
import { ConfigError } from '../../errors.ts';
import type { RegexValidatorParams } from '../../config/types.ts';
import { describeValue, outputOf, unplaced, type ValueValidator } from './value.ts';

/** Compiles the pattern now: a bad one is a ConfigError at `where`. */
export function regexValidator(
  params: Pick<RegexValidatorParams, 'pattern' | 'flags' | 'full_match'>,
  where: string,
): ValueValidator {
  const { pattern, flags, full_match } = params;
  let re: RegExp;
  try {
    // Sticky at 0 and followed by the end of the text (whatever the m flag says): a full match.
    re = full_match
      ? new RegExp(`(?:${pattern})(?![\\s\\S])`, `${flags.replace(/[gy]/g, '')}y`)
      : new RegExp(pattern, flags.replace(/[gy]/g, ''));
  } catch (err) {
    throw new ConfigError([
      {
        path: `${where}.validator_params.pattern`,
        message: `expected a JavaScript regular expression, found ${JSON.stringify(pattern)}: ${err instanceof Error ? err.message : String(err)}`,
      },
    ]);
  }
  const shown = `/${pattern}/${flags}`;
  const check = (value: unknown) => {
    const text = asText(value);
    if (text === undefined)
      return unplaced(`expected text to match ${shown}, found ${describeValue(value)}`);
    re.lastIndex = 0;
    if (re.test(text)) return outputOf([]);
    const quoted = JSON.stringify(text.length > 60 ? `${text.slice(0, 59)}…` : text);
    return unplaced(
      full_match
        ? `expected the whole value to match ${shown}, found ${quoted}`
        : `expected a match of ${shown} in the value, found none in ${quoted}`,
    );
  };
  const ready = Promise.resolve(check);
  return { ready: () => ready };
}

/** Strings as they are; numbers and booleans as written; objects and lists as JSON. */
function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}
