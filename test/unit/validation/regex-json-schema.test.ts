/**
 * SPEC 1 `validation`: tabsynth's own `regex` and `json_schema` validators, each
 * judging one value.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.ts';
import { jsonSchemaValidator } from '../../../src/core/generators/validation/json-schema.ts';
import { regexValidator } from '../../../src/core/generators/validation/regex.ts';

const regex = (pattern: string, flags = '', full_match = true) =>
  regexValidator({ pattern, flags, full_match }, 'columns[2]').ready();

describe('regex validator', () => {
  it('full_match: the whole value must match, trying every alternative', async () => {
    const check = await regex('a|ab');
    expect(check('ab')).toEqual({ is_valid: true, errors: [] });
    const out = check('abc');
    expect(out.is_valid).toBe(false);
    expect(out.errors).toEqual([
      {
        line: null,
        column: null,
        message: 'expected the whole value to match /a|ab/, found "abc"',
      },
    ]);
  });

  it('full_match holds for the whole text even with the m flag', async () => {
    const check = await regex('\\d+', 'm');
    expect(check('123').is_valid).toBe(true);
    expect(check('123\n456').is_valid).toBe(false);
  });

  it('without full_match a match anywhere is enough; the error says none was found', async () => {
    const check = await regex('[A-Z]{3}-\\d{4}', '', false);
    expect(check('order ABC-1234 shipped').is_valid).toBe(true);
    expect(check('order abc-1234').errors[0]!.message).toBe(
      'expected a match of /[A-Z]{3}-\\d{4}/ in the value, found none in "order abc-1234"',
    );
  });

  it('flags apply: i makes the match case-insensitive', async () => {
    expect((await regex('yes|no', 'i'))('YES').is_valid).toBe(true);
    expect((await regex('yes|no'))('YES').is_valid).toBe(false);
  });

  it('numbers and booleans are matched as written, objects as JSON, null is invalid', async () => {
    const check = await regex('\\d+(\\.\\d+)?');
    expect(check(42).is_valid).toBe(true);
    expect(check(4.5).is_valid).toBe(true);
    expect((await regex('true'))(true).is_valid).toBe(true);
    expect((await regex('\\{"a":1\\}'))({ a: 1 }).is_valid).toBe(true);
    expect(check(null).errors[0]!.message).toBe(
      'expected text to match /\\d+(\\.\\d+)?/, found no value (null)',
    );
  });

  it('a pattern that does not compile is a config error at its path', () => {
    let err: unknown;
    try {
      regexValidator({ pattern: '([a-z', flags: '', full_match: true }, 'columns[2]');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues[0]!.path).toBe('columns[2].validator_params.pattern');
    expect((err as ConfigError).issues[0]!.message).toMatch(
      /expected a JavaScript regular expression, found "\(\[a-z"/,
    );
  });
});

const PERSON = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { enum: ['a', 'b'] } },
  },
  required: ['name', 'age'],
};

describe('json_schema validator', () => {
  it('an object value matching the schema passes', async () => {
    const check = await jsonSchemaValidator(PERSON, 'columns[1]').ready();
    expect(check({ name: 'Ada', age: 36, tags: ['a'] })).toEqual({ is_valid: true, errors: [] });
  });

  it('a JSON string is parsed first; each schema error is placed at the value it concerns', async () => {
    const check = await jsonSchemaValidator(PERSON, 'columns[1]').ready();
    const out = check('{\n  "name": "Ada",\n  "age": 3.5,\n  "tags": ["a", "z"]\n}');
    expect(out.is_valid).toBe(false);
    expect(out.errors).toEqual([
      { line: 3, column: 10, message: 'schema: at /age: must be integer' },
      {
        line: 4,
        column: 17,
        message: 'schema: at /tags/1: must be equal to one of the allowed values ["a","b"]',
      },
    ]);
  });

  it('a missing required property is reported at the root', async () => {
    const check = await jsonSchemaValidator(PERSON, 'columns[1]').ready();
    const out = check({ name: 'Ada' });
    expect(out.errors).toEqual([
      { line: null, column: null, message: "schema: at (root): must have required property 'age'" },
    ]);
    // As a JSON string, the root is placed at its first character.
    expect(check('  {"name": "Ada"}').errors[0]).toMatchObject({ line: 1, column: 3 });
  });

  it('a string that is not JSON fails with the syntax error and its place', async () => {
    const check = await jsonSchemaValidator(PERSON, 'columns[1]').ready();
    const out = check('{"name": "Ada", "age": }');
    expect(out.is_valid).toBe(false);
    expect(out.errors).toEqual([
      { line: 1, column: 24, message: 'invalid JSON: value expected, found "}"' },
    ]);
  });

  it('draft-07 schemas are read as draft-07', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'array',
      items: [{ type: 'string' }],
      additionalItems: false,
    };
    const check = await jsonSchemaValidator(schema, 'columns[1]').ready();
    expect(check(['x']).is_valid).toBe(true);
    expect(check(['x', 1]).is_valid).toBe(false);
  });

  it('a schema that does not compile is a config error at its path', () => {
    expect(() => jsonSchemaValidator({ type: 'no-such-type' }, 'columns[4]')).toThrow(ConfigError);
    try {
      jsonSchemaValidator({ type: 'no-such-type' }, 'columns[4]');
    } catch (e) {
      expect((e as ConfigError).issues[0]!.path).toBe('columns[4].validator_params.schema');
    }
  });
});
