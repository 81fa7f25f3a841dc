/**
 * SPEC 1 `validation` columns end to end: a YAML config compiled with the Node
 * grammar loader and run by the engine into a memory store, with a remote
 * validator served on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { nodeGrammars } from '../../../src/node/grammars.ts';
import { startOpenAIServer, type OpenAIServer } from '../../support/openai-server.ts';

/** Each snippet's known verdict: [is_valid, line, column] of its first error. */
const PYTHON: Record<string, [boolean, number?, number?]> = {
  'x = 1': [true],
  'def f(:\n    return 1': [false, 1, 7],
  "print('ok')": [true],
};
const SQL: Record<string, [boolean, number?, number?]> = {
  'SELECT id FROM t': [true],
  'SELECT id\nFROM t WHERE': [false, 2, 13],
};

const config = (endpoint: string) => `
columns:
  - name: snippet
    column_type: sampler
    sampler_type: category
    params: { values: ${JSON.stringify(Object.keys(PYTHON))} }
  - name: query
    column_type: sampler
    sampler_type: category
    params: { values: ${JSON.stringify(Object.keys(SQL))} }
  - name: record
    column_type: expression
    expr: '{"snippet_length": {{ snippet | length }}}'
  - name: python_check
    column_type: validation
    target_columns: [snippet]
    validator_type: code
    validator_params: { code_lang: python }
    batch_size: 2
  - name: both_check
    column_type: validation
    target_columns: [snippet, query]
    validator_type: code
    validator_params: { code_lang: 'sql:sqlite' }
  - name: record_check
    column_type: validation
    target_columns: [record]
    validator_type: json_schema
    validator_params:
      schema: { type: object, properties: { snippet_length: { type: integer, maximum: 10 } } }
  - name: remote_check
    column_type: validation
    target_columns: [snippet, query]
    validator_type: remote
    validator_params: { endpoint_url: '${endpoint}', max_parallel_requests: 2 }
    batch_size: 3
run: { num_records: 9, seed: 11, buffer_size: 4 }
`;

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(yaml: string): Promise<Row[]> {
  const cfg = loadConfig(yaml, 'yaml');
  const { plan, transports } = compilePlan(cfg, { grammars: nodeGrammars });
  const store = new MemoryStore();
  await runEngine({ plan, transports, store, runId: 'v', config: cfg, configHash: 'h' });
  const rows: Row[] = [];
  for (const id of store.committedGroupIds('v'))
    rows.push(...(await store.readRowGroup('v', id)).rows);
  return rows;
}

describe('SPEC 1 validation columns in a pipeline', () => {
  it('validates every row: code per target column, json_schema, and remote batches of batch_size', async () => {
    server = await startOpenAIServer({
      handler: (req) => {
        const data = (req.body?.['data'] as { snippet: string; query: string }[]) ?? [];
        return {
          status: 200,
          body: { data: data.map((r) => ({ is_valid: r.query.endsWith('t'), seen: r.snippet })) },
        };
      },
    });
    const rows = await run(config(`${server.url}/validate`));
    expect(rows).toHaveLength(9);
    // The draw covers every snippet and query, valid and invalid alike.
    expect(new Set(rows.map((r) => r['snippet'])).size).toBe(Object.keys(PYTHON).length);
    expect(new Set(rows.map((r) => r['query'])).size).toBe(Object.keys(SQL).length);

    for (const row of rows) {
      const snippet = row['snippet'] as string;
      const query = row['query'] as string;
      const [pyValid, line, column] = PYTHON[snippet]!;
      const py = row['python_check'] as {
        is_valid: boolean;
        errors: { line: number; column: number }[];
      };
      expect(py.is_valid).toBe(pyValid);
      if (!pyValid) expect(py.errors[0]).toMatchObject({ line, column });

      // Several target columns of a code validator: each checked on its own, keyed by column.
      const both = row['both_check'] as Record<string, { is_valid: boolean; errors: unknown[] }>;
      expect(Object.keys(both)).toEqual(['snippet', 'query']);
      const [sqlValid, sqlLine, sqlColumn] = SQL[query]!;
      expect(both['query']!.is_valid).toBe(sqlValid);
      if (!sqlValid)
        expect(both['query']!.errors[0]).toMatchObject({ line: sqlLine, column: sqlColumn });
      // Python is not SQL, and says so at its first word (sqlparser-rs reads PRINT as a statement).
      if (snippet !== "print('ok')") {
        expect(both['snippet']).toMatchObject({
          is_valid: false,
          errors: [{ line: 1, column: 1 }],
        });
      }

      const record = row['record_check'] as { is_valid: boolean };
      expect(record.is_valid).toBe(snippet.length <= 10);

      expect(row['remote_check']).toEqual({
        is_valid: query.endsWith('t'),
        seen: snippet,
        errors: [],
      });
    }

    // Row groups of 4, 4 and 1 rows, batches of at most 3: 2 + 2 + 1 requests, each row sent once.
    const sizes = server.requests.map((r) => (r.body?.['data'] as unknown[]).length).sort();
    expect(sizes).toEqual([1, 1, 1, 3, 3]);
    const sent = server.requests.flatMap((r) => r.body?.['data'] as Record<string, unknown>[]);
    expect(sent.map((r) => Object.keys(r))).toEqual(
      Array.from({ length: 9 }, () => ['snippet', 'query']),
    );
  });

  it('a code validator for a language that needs grammars, compiled without a loader, is a config error', () => {
    const cfg = loadConfig(
      `
columns:
  - { name: s, column_type: sampler, sampler_type: category, params: { values: [a] } }
  - name: c
    column_type: validation
    target_columns: [s]
    validator_type: code
    validator_params: { code_lang: python }
  - name: cobol_check
    column_type: validation
    target_columns: [s]
    validator_type: code
    validator_params: { code_lang: cobol }
run: { num_records: 1 }
`,
      'yaml',
    );
    let err: unknown;
    try {
      compilePlan(cfg);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      {
        path: 'columns[1].validator_params.code_lang',
        message:
          "column 'c': checking code_lang 'python' needs grammar files, and this host provides none",
      },
      {
        path: 'columns[2].validator_params.code_lang',
        message: "column 'cobol_check': this build has no syntax checker for code_lang 'cobol'",
      },
    ]);
  });
});
