/**
 * schema_transform (SPEC 1 processors): a template dict producing a separate,
 * reshaped output table while the dataset goes on unchanged, as Data Designer's
 * SchemaTransformProcessor writes `processors-files/<name>/` beside the dataset.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { compileProcessor } from '../../../src/core/config/compilers/processors.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import type { SchemaTransformProcessorConfig } from '../../../src/core/config/types.ts';
import type { ProcessorBatch } from '../../../src/core/engine/plan.ts';
import { runProcessors } from '../../../src/core/engine/processors.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { ConfigError, ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';

const signal = new AbortController().signal;

function schemaTransform(
  template: Record<string, unknown>,
  more: Partial<SchemaTransformProcessorConfig> = {},
) {
  return compileProcessor(
    {
      processor_type: 'schema_transform',
      name: 'chat',
      build_stage: 'post_batch',
      template,
      ...more,
    },
    0,
  );
}

const batch = (): ProcessorBatch => ({
  rowIndices: [4, 7],
  rows: [
    { q: 'Why?', a: 'Because.', n: 1, meta: '{"lang": "en"}' },
    { q: 'How?', a: 'Like "so".', n: 2, meta: 'plain' },
  ],
});

describe('schema_transform', () => {
  it("a field named '__proto__', at the top or nested, is written as a field", async () => {
    const p = schemaTransform(
      JSON.parse('{"__proto__": "{{ q }}", "meta": {"__proto__": "{{ n }}"}}') as Record<
        string,
        unknown
      >,
    );
    const out = await p.process(batch(), signal);
    const first = out.extraTables?.['chat']?.[0];
    expect(Object.entries(first ?? {})).toEqual([
      ['__proto__', 'Why?'],
      ['meta', JSON.parse('{"__proto__": "1"}')],
    ]);
    expect(Object.keys(first?.['meta'] as object)).toEqual(['__proto__']);
  });

  it('renders every string of the template over each row into a table named after the processor', async () => {
    const p = schemaTransform({
      messages: [
        { role: 'user', content: '{{ q }}' },
        { role: 'assistant', content: '{{ a | upper }}' },
      ],
      turn: '{{ n + 1 }}',
      fixed: 3,
      flag: true,
      none: null,
    });
    const out = await p.process(batch(), signal);
    expect(out.extraTables?.['chat']).toEqual([
      {
        messages: [
          { role: 'user', content: 'Why?' },
          { role: 'assistant', content: 'BECAUSE.' },
        ],
        turn: '2',
        fixed: 3,
        flag: true,
        none: null,
      },
      {
        messages: [
          { role: 'user', content: 'How?' },
          { role: 'assistant', content: 'LIKE "SO".' },
        ],
        turn: '3',
        fixed: 3,
        flag: true,
        none: null,
      },
    ]);
  });

  it('leaves the dataset unchanged, as Data Designer does', async () => {
    const input = batch();
    const out = await schemaTransform({ x: '{{ q }}' }).process(input, signal);
    expect(out.rows).toEqual(batch().rows);
    expect(out.rowIndices).toEqual([4, 7]);
  });

  it('reaches into columns holding JSON text ({{ col.field }})', async () => {
    const out = await schemaTransform({ lang: '{{ meta.lang }}' }).process(batch(), signal);
    expect(out.extraTables?.['chat']?.[0]).toEqual({ lang: 'en' });
  });

  it('tables of several processors travel through the chain, drop_columns included', async () => {
    const second = compileProcessor(
      {
        processor_type: 'schema_transform',
        name: 'qa',
        build_stage: 'post_batch',
        template: { t: '{{ a }}' },
      },
      1,
    );
    const drop = compileProcessor(
      {
        processor_type: 'drop_columns',
        name: 'drop',
        build_stage: 'post_batch',
        column_names: ['a'],
      },
      2,
    );
    const out = await runProcessors(
      [schemaTransform({ t: '{{ q }}' }), second, drop],
      batch(),
      0,
      signal,
    );
    expect(out.extraTables).toEqual({
      chat: [{ t: 'Why?' }, { t: 'How?' }],
      qa: [{ t: 'Because.' }, { t: 'Like "so".' }],
    });
    expect(out.rows[0]).not.toHaveProperty('a');
  });

  it('a template that fails on a row fails the processor (its row group is dropped, SPEC 3.7)', async () => {
    const p = schemaTransform({ x: '{{ q | abs }}' }); // parses; a string has no abs()
    const err: unknown = await runProcessors([p], batch(), 3, signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TabsynthError);
    expect((err as TabsynthError).code).toBe(ErrorCodes.PROCESSOR_FAILED);
    expect((err as TabsynthError).message).toMatch(
      /processor "chat" \(post_batch\) failed on row group 3/,
    );
  });

  it('pre_batch is refused: the non-root columns do not exist yet', () => {
    let err: unknown;
    try {
      schemaTransform({ x: '{{ q }}' }, { build_stage: 'pre_batch' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues[0]).toMatchObject({
      path: 'processors[0].build_stage',
      message: expect.stringMatching(
        /expected build_stage post_batch or post_generation, found pre_batch/,
      ) as unknown,
    });
  });

  it('in a run: the committed dataset keeps every column; the table sees drop: true columns too', async () => {
    const cfg = loadConfig(`
columns:
  - name: topic
    column_type: sampler
    sampler_type: category
    params: { values: [tea, rain] }
  - name: secret
    column_type: expression
    expr: "s-{{ topic }}"
    drop: true
processors:
  - processor_type: schema_transform
    name: pairs
    template: { prompt: "About {{ topic }}", hidden: "{{ secret }}" }
`);
    const { plan, transports } = compilePlan(cfg, { overrides: { numRecords: 5, bufferSize: 2 } });
    const tables: Row[] = [];
    plan.processors = plan.processors.map((p) => ({
      ...p,
      process: async (b, s) => {
        const out = await p.process(b, s);
        tables.push(...(out.extraTables?.['pairs'] ?? []));
        return out;
      },
    }));
    const store = new MemoryStore();
    await runEngine({ plan, transports, store, runId: 'r', config: cfg, configHash: 'h' });
    const rows: Row[] = [];
    for (const id of store.committedGroupIds('r'))
      rows.push(...(await store.readRowGroup('r', id)).rows);
    expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ['topic']));
    expect(tables).toHaveLength(5);
    expect(tables.map((t) => t['prompt']).sort()).toEqual(
      rows.map((r) => `About ${String(r['topic'])}`).sort(),
    );
    for (const t of tables) expect(t['hidden']).toBe(`s-${String(t['prompt']).slice(6)}`);
  });
});
