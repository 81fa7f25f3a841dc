/**
 * SPEC 1 `validation` / `code`: the syntax check of each language, with the place
 * of each error (1-based line and column), through the Node grammar loader.
 */
import { describe, expect, it } from 'vitest';
import { codeValidator } from '../../../src/core/generators/validation/code.ts';
import type { ValidationOutput } from '../../../src/core/generators/validation/types.ts';
import { nodeGrammars } from '../../../src/node/grammars.ts';

async function check(lang: string, code: unknown): Promise<ValidationOutput> {
  const validate = await codeValidator(lang, nodeGrammars).ready();
  return validate(code);
}

/** Line and column of each error, for compact assertions. */
const places = (out: ValidationOutput) => out.errors.map((e) => [e.line, e.column]);

describe('code validator: python (tree-sitter)', () => {
  it('valid python passes with no errors', async () => {
    const code = 'def area(r):\n    """Area."""\n    return 3.14 * r ** 2\n\nprint(area(2))\n';
    expect(await check('python', code)).toEqual({ is_valid: true, errors: [] });
  });

  it('a missing closing parenthesis is reported where it was expected', async () => {
    const out = await check('python', 'x = 1\ndef f(:\n    return 1\n');
    expect(out.is_valid).toBe(false);
    expect(places(out)).toEqual([[2, 7]]);
    expect(out.errors[0]!.message).toBe('syntax error: missing ")"');
  });

  it('code that cannot be parsed is reported at the start of what could not be fitted', async () => {
    const out = await check('python', 'ok = True\nvalues = [1, 2\ntotal = 3\n');
    expect(out.is_valid).toBe(false);
    expect(places(out)).toEqual([[2, 8]]);
    expect(out.errors[0]!.message).toMatch(/^syntax error: cannot parse the code in "= \[1, 2 …"$/);
  });

  it('columns count characters, not UTF-16 units or bytes', async () => {
    // '😀' is two UTF-16 units and four UTF-8 bytes; the error column counts it once.
    const out = await check('javascript', 'let s = "é😀"; let x = (1 + ;\n');
    expect(places(out)).toEqual([[1, 21]]);
  });

  it('a value that is not text is invalid and says what it found', async () => {
    const out = await check('python', 42);
    expect(out).toEqual({
      is_valid: false,
      errors: [
        { line: null, column: null, message: 'expected python code as text, found a number (42)' },
      ],
    });
    expect((await check('python', null)).errors[0]!.message).toContain('no value (null)');
  });
});

describe('code validator: javascript and typescript (tree-sitter)', () => {
  it('valid javascript passes, an unfinished expression fails at its place', async () => {
    expect(
      (await check('javascript', 'const f = (a) => a * 2;\nconsole.log(f(2));\n')).is_valid,
    ).toBe(true);
    const out = await check('javascript', 'const a = 1;\nlet x = (1 + ;\n');
    expect(out.is_valid).toBe(false);
    expect(places(out)).toEqual([[2, 7]]);
  });

  it('typescript types parse as typescript, and a missing initialiser fails', async () => {
    const ok =
      'interface P { name: string }\nconst p: P = { name: "a" };\nexport function n(x: P): string { return x.name; }\n';
    expect((await check('typescript', ok)).is_valid).toBe(true);
    // The same annotations are not javascript.
    expect((await check('javascript', 'const p: number = 1;\n')).is_valid).toBe(false);
    const out = await check('typescript', 'let total: number = ;\n');
    expect(places(out)).toEqual([[1, 19]]);
  });

  it('reports several independent errors in text order', async () => {
    const out = await check('javascript', 'let a = (1 + ;\nlet ok = 2;\nlet b = [1, ;\n');
    expect(out.is_valid).toBe(false);
    expect(places(out).map(([line]) => line)).toEqual([1, 3]);
  });
});

describe('code validator: SQL dialects (sqlparser-rs)', () => {
  const dialects = [
    'sql:sqlite',
    'sql:tsql',
    'sql:bigquery',
    'sql:mysql',
    'sql:postgres',
    'sql:ansi',
  ];

  it.each(dialects)(
    '%s: a plain query passes; a broken WHERE fails at the end of the text',
    async (lang) => {
      const valid = 'SELECT id, name\nFROM users\nWHERE age > 30\nORDER BY name;';
      expect(await check(lang, valid)).toEqual({ is_valid: true, errors: [] });
      const out = await check(lang, 'SELECT id\nFROM users\nWHERE');
      expect(out.is_valid).toBe(false);
      expect(places(out)).toEqual([[3, 6]]);
      expect(out.errors[0]!.message).toBe(
        `syntax error (${lang}): Expected: an expression, found: EOF`,
      );
    },
  );

  it('a misplaced keyword is reported at its line and column', async () => {
    const out = await check('sql:sqlite', 'SELECT *\n  FROM t\n  WHERE a = 1 GROUP\n');
    expect(out.is_valid).toBe(false);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]!.line).toBe(3);
  });

  it('each dialect keeps its own rules: backquoted names pass in MySQL, fail in PostgreSQL', async () => {
    const sql = 'SELECT `name` FROM users';
    expect((await check('sql:mysql', sql)).is_valid).toBe(true);
    expect((await check('sql:bigquery', sql)).is_valid).toBe(true);
    const pg = await check('sql:postgres', sql);
    expect(pg.is_valid).toBe(false);
    expect(places(pg)).toEqual([[1, 8]]);
  });
});

describe('code validator: json (no grammar)', () => {
  it('valid JSON passes; a bad token is placed and quoted', async () => {
    expect((await check('json', '{"a": [1, 2, {"b": null}]}')).is_valid).toBe(true);
    const out = await check('json', '{\n  "a": 1,\n  "b": x\n}');
    expect(out.is_valid).toBe(false);
    expect(places(out)).toEqual([[3, 8]]);
    expect(out.errors[0]!.message).toBe('invalid JSON: invalid symbol, found "x"');
  });

  it('a trailing comma and an unclosed object are errors where they are', async () => {
    expect(places(await check('json', '{"a": 1,}'))).toEqual([[1, 9]]);
    const open = await check('json', '{"a": 1');
    expect(places(open)).toEqual([[1, 8]]);
    expect(open.errors[0]!.message).toContain('the end of the text');
  });

  it('checks JSON without any grammar loader', async () => {
    const validate = await codeValidator('json').ready();
    expect(validate('[1,]').is_valid).toBe(false);
  });
});

describe('code validator: other tree-sitter languages', () => {
  it.each([
    ['go', 'package main\n\nfunc main() {\n\tprintln("hi")\n}\n', 'package main\nfunc main() {\n'],
    ['rust', 'fn main() {\n    let x = 1;\n    println!("{}", x);\n}\n', 'fn main() { let x = ; }'],
    ['java', 'class A {\n  int m() { return 1; }\n}\n', 'class A {\n  int m() { return ; + }\n}\n'],
  ])('%s: valid code passes, broken code fails', async (lang, valid, broken) => {
    expect((await check(lang, valid)).is_valid).toBe(true);
    expect((await check(lang, broken)).is_valid).toBe(false);
  });

  it('cobol has no grammar: asking for it is an error that lists what is supported', () => {
    expect(() => codeValidator('cobol', nodeGrammars)).toThrow(
      /no syntax checker for code_lang 'cobol'.*python/,
    );
  });

  it('a language that needs grammar files cannot be checked without a loader', () => {
    expect(() => codeValidator('python')).toThrow(/host gave no GrammarLoader/);
  });
});
