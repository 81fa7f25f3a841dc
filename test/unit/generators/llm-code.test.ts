import { describe, expect, it } from 'vitest';
import { extractCode, llmCodeGenerator } from '../../../src/core/generators/llm-code.ts';
import type { CodeLang } from '../../../src/core/config/types.ts';
import { ScriptedModels, binding, cellContext, prompt } from './llm-fakes.ts';

function generator(codeLang: CodeLang, withTrace: 'none' | 'last_message' = 'none') {
  return llmCodeGenerator({
    name: 'snippet',
    upstream: [],
    prompt,
    binding,
    withTrace,
    extractReasoningContent: false,
    codeLang,
  });
}

describe('llm-code: the fenced block in code_lang is the value', () => {
  it('takes the block in the language even when another language comes first', () => {
    const answer = [
      'Run it with:',
      '```bash',
      'python main.py',
      '```',
      'The code:',
      '```python',
      'def add(a, b):',
      '    return a + b',
      '```',
      '```python',
      'print(add(1, 2))',
      '```',
    ].join('\n');
    expect(extractCode(answer, 'python')).toBe('def add(a, b):\n    return a + b');
  });

  it("accepts the language's aliases as the fence's info string (py, ts, postgresql)", () => {
    expect(extractCode('```js\nx()\n```\n```py\nx = 1\n```', 'python')).toBe('x = 1');
    expect(extractCode('```TypeScript\nlet a: number;\n```', 'typescript')).toBe('let a: number;');
    expect(extractCode('```text\nno\n```\n```postgresql\nSELECT 1;\n```', 'sql:postgres')).toBe(
      'SELECT 1;',
    );
  });

  it('falls back to the first fenced block when none is in the language', () => {
    expect(extractCode('Here:\n```\nfn main() {}\n```\n```c\nint x;\n```', 'rust')).toBe(
      'fn main() {}',
    );
  });

  it('falls back to the whole answer, trimmed, when it has no fenced block', () => {
    expect(extractCode('  \nSELECT * FROM t;\n  ', 'sql:sqlite')).toBe('SELECT * FROM t;');
  });

  it('keeps a block cut off before its closing fence, and longer or tilde fences', () => {
    expect(extractCode('```go\nfunc f() {\n', 'go')).toBe('func f() {');
    expect(extractCode('````java\nclass A {}\n```\nstill java\n````', 'java')).toBe(
      'class A {}\n```\nstill java',
    );
    expect(extractCode('~~~ruby\nputs 1\n~~~', 'ruby')).toBe('puts 1');
  });

  it('asks for a single block in the language, naming sql for a SQL dialect', async () => {
    const models = new ScriptedModels(['```sql\nSELECT 2;\n```']);
    const out = await generator('sql:postgres').generate(cellContext(models, { topic: 'sales' }));
    expect(out).toEqual({ snippet: 'SELECT 2;' });
    const [user] = models.userMessages(0);
    expect(user).toMatch(/^Describe sales\.\n\n/);
    expect(user).toContain('code written in sql.');
    expect(user).toContain('```sql');
    expect(models.chats[0]!.request.response_schema).toBeUndefined();
  });

  it('keeps the raw answer, fences included, in the trace', async () => {
    const answer = 'Sure.\n```python\nx = 1\n```';
    const models = new ScriptedModels([answer]);
    const out = await generator('python', 'last_message').generate(cellContext(models));
    expect(out['snippet']).toBe('x = 1');
    expect(out['snippet__trace']).toEqual([{ role: 'assistant', content: answer }]);
  });
});
