/**
 * SPEC 1 (Data Designer compatible): every config under test/fixtures/dd, written
 * from Data Designer's tutorials and recipes, validates unchanged and generates 20
 * rows on the simulated provider, with the columns and values its source promises.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../src/core/storage/types.ts';
import { fixtureNames, loadFixture, runFixture, type FixtureRun } from './run-fixture.ts';

const ROWS = 20;

type Check = (run: FixtureRun) => void;

const values = (rows: Row[], column: string): unknown[] => rows.map((r) => r[column]);
const distinct = (rows: Row[], column: string): Set<unknown> => new Set(values(rows, column));

function expectAllIn(rows: Row[], column: string, allowed: readonly unknown[]): void {
  for (const v of values(rows, column)) expect(allowed).toContain(v);
}

function expectStrings(rows: Row[], column: string, pattern?: RegExp): void {
  for (const v of values(rows, column)) {
    expect(typeof v, `${column}: ${String(v)}`).toBe('string');
    if (pattern) expect(v).toMatch(pattern);
  }
}

function expectJudge(
  rows: Row[],
  column: string,
  scores: Record<string, readonly unknown[]>,
): void {
  for (const v of values(rows, column)) {
    const judged = v as Record<string, { score: unknown; reasoning: unknown }>;
    expect(Object.keys(judged)).toEqual(Object.keys(scores));
    for (const [name, options] of Object.entries(scores)) {
      expect(options).toContain(judged[name]!.score);
      expect(typeof judged[name]!.reasoning).toBe('string');
    }
  }
}

function expectValid(rows: Row[], column: string): void {
  for (const v of values(rows, column)) expect(v).toEqual({ is_valid: true, errors: [] });
}

const PERSON_KEYS = ['first_name', 'last_name', 'sex', 'age', 'birth_date', 'city', 'state'];
const ZERO_TO_FOUR = [0, 1, 2, 3, 4];
const CATEGORIES = ['Electronics', 'Clothing', 'Home & Kitchen', 'Books', 'Home Office'];

/** Output columns (in order) and value-level facts, per fixture. */
const EXPECTED: Record<string, { columns: string[]; check: Check }> = {
  'the-basics': {
    columns: [
      'product_category',
      'product_subcategory',
      'target_age_range',
      'customer',
      'number_of_stars',
      'review_style',
      'product_name',
      'customer_review',
    ],
    check: ({ rows }) => {
      expectAllIn(rows, 'product_category', CATEGORIES);
      expectAllIn(rows, 'number_of_stars', [1, 2, 3, 4, 5]); // convert_to int rounds, as DD
      for (const r of rows) {
        const customer = r['customer'] as Record<string, unknown>;
        for (const key of PERSON_KEYS) expect(customer).toHaveProperty(key);
        expect(customer['age']).toBeGreaterThanOrEqual(18);
        expect(customer['age']).toBeLessThanOrEqual(70);
      }
      expectStrings(rows, 'customer_review', /\S/);
    },
  },
  'structured-outputs-jinja': {
    columns: [
      'product_category',
      'product_subcategory',
      'target_age_range',
      'review_style',
      'customer_name',
      'customer_age',
      'product',
      'customer_review',
      'complaint_analysis',
      'action_items',
      'review_summary',
    ],
    check: ({ rows }) => {
      for (const r of rows) {
        if (r['target_age_range'] === '18-25') expect(r['review_style']).toBe('rambling');
        const review = r['customer_review'] as { rating: number; customer_mood: string };
        expect([1, 2, 3, 4, 5]).toContain(review.rating);
        // skip.when rating > 2, and action_items inherits the skip; review_summary opts out.
        if (review.rating > 2) {
          expect([r['complaint_analysis'], r['action_items']]).toEqual([null, null]);
        } else {
          expect(typeof r['complaint_analysis']).toBe('string');
          expect(typeof r['action_items']).toBe('string');
        }
        expect(typeof r['review_summary']).toBe('string');
        const price = (r['product'] as { price: unknown }).price;
        expect(Number(price)).toBeGreaterThanOrEqual(10);
      }
    },
  },
  'seeding-with-a-dataset': {
    columns: [
      'diagnosis',
      'patient_summary',
      'patient_sampler',
      'doctor_sampler',
      'patient_id',
      'first_name',
      'last_name',
      'dob',
      'symptom_onset_date',
      'date_of_visit',
      'physician',
      'physician_notes',
    ],
    check: ({ rows }) => {
      // Six seed rows read in order, wrapping around.
      expect(values(rows, 'diagnosis').slice(0, 7)).toEqual([
        'cervical spondylosis',
        'impetigo',
        'urinary tract infection',
        'arthritis',
        'dengue',
        'common cold',
        'cervical spondylosis',
      ]);
      expectStrings(rows, 'patient_id', /^PT-[0-9A-F]{8}$/);
      expectStrings(rows, 'dob', /^\d{4}-\d{2}-\d{2}$/);
      for (const r of rows) {
        expect(r['first_name']).toBe((r['patient_sampler'] as { first_name: string }).first_name);
        expect(r['physician']).toBe(
          `Dr. ${(r['doctor_sampler'] as { last_name: string }).last_name}`,
        );
        const onset = Date.parse(String(r['symptom_onset_date']));
        const days = (Date.parse(String(r['date_of_visit'])) - onset) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThan(30);
        expect(onset).toBeGreaterThanOrEqual(Date.parse('2024-01-01'));
        expect(onset).toBeLessThan(Date.parse('2024-12-31'));
      }
    },
  },
  'text-to-sql': {
    columns: [
      'industry_sector',
      'topic',
      'sql_complexity',
      'sql_concept',
      'sql_task_type',
      'instruction_phrase',
      'sql_prompt',
      'sql_context',
      'sql',
      'code_validity_result',
      'code_judge_result',
    ],
    check: ({ rows }) => {
      expectAllIn(rows, 'sql_complexity', ['Beginner', 'Intermediate', 'Advanced']);
      for (const v of values(rows, 'sql')) expect(v).not.toContain('```');
      expectValid(rows, 'code_validity_result');
      expectJudge(rows, 'code_judge_result', {
        Relevance: ZERO_TO_FOUR,
        'SQL Correctness': ZERO_TO_FOUR,
        Readability: ZERO_TO_FOUR,
        Efficiency: ZERO_TO_FOUR,
      });
    },
  },
  'text-to-python': {
    columns: [
      'industry_sector',
      'topic',
      'code_complexity',
      'code_concept',
      'instruction_phrase',
      'instruction',
      'code_implementation',
      'code_judge_result',
      'code_validity_result',
    ],
    check: ({ rows }) => {
      const concepts: Record<string, string[]> = {
        Beginner: ['Variables', 'Data Types', 'Functions', 'Loops', 'Classes'],
        Intermediate: [
          'List Comprehensions',
          'Object-oriented programming',
          'Lambda Functions',
          'Web frameworks',
          'Pandas',
        ],
        Advanced: ['Multithreading', 'Context Managers', 'Generators'],
      };
      for (const r of rows) {
        expect(concepts[r['code_complexity'] as string]).toContain(r['code_concept']);
      }
      expectStrings(rows, 'code_implementation', /def \w+\(/);
      expectValid(rows, 'code_validity_result');
      expectJudge(rows, 'code_judge_result', { Relevance: ZERO_TO_FOUR, Pythonic: ZERO_TO_FOUR });
    },
  },
  'multi-turn-chat': {
    columns: [
      'domain',
      'topic',
      'complexity',
      'conversation_length',
      'user_mood',
      'assistant_system_prompt',
      'user_task',
      'conversation',
      'toxicity_evaluation',
    ],
    check: ({ rows, extraTables }) => {
      expectAllIn(rows, 'conversation_length', [2, 4, 6, 8]);
      for (const r of rows) {
        const turns = (r['conversation'] as { conversation: { role: string; content: string }[] })
          .conversation;
        for (const t of turns) expect(['user', 'assistant']).toContain(t.role);
      }
      expectJudge(rows, 'toxicity_evaluation', { Toxicity: ZERO_TO_FOUR });
      const chat = extraTables['chat_format'] ?? [];
      expect(chat).toHaveLength(rows.length);
      chat.forEach((c, i) => {
        expect(c['metadata']).toBe(String(rows[i]!['domain']).toUpperCase());
        expect(c['messages']).toEqual([
          { role: 'system', content: rows[i]!['assistant_system_prompt'] },
          { role: 'user', content: rows[i]!['user_task'] },
        ]);
      });
    },
  },
  'product-info-qa': {
    columns: [
      'category',
      'price_tens_of_dollars',
      'product_price',
      'first_letter',
      'is_hallucination',
      'product_info',
      'question',
      'answer',
      'llm_answer_metrics',
      'completeness_result',
      'accuracy_result',
    ],
    check: ({ rows }) => {
      expectAllIn(rows, 'is_hallucination', [0, 1]);
      for (const r of rows) {
        const tens = r['price_tens_of_dollars'] as number;
        expect(tens).toBeGreaterThanOrEqual(1);
        expect(tens).toBeLessThan(200);
        // Jinja binds `| round(2)` to 0.01 only, as in Data Designer.
        expect(r['product_price']).toBeCloseTo(tens * 10 - 0.01, 9);
        const info = r['product_info'] as { key_features: string[]; price_usd: number };
        expect(info.key_features.length).toBeGreaterThanOrEqual(1);
        expect(info.key_features.length).toBeLessThanOrEqual(3);
        const judged = r['llm_answer_metrics'] as Record<string, { score: string }>;
        expect(r['completeness_result']).toBe(judged['Completeness']!.score);
        expect(r['accuracy_result']).toBe(judged['Accuracy']!.score);
      }
      expectJudge(rows, 'llm_answer_metrics', {
        Completeness: ['Complete', 'PartiallyComplete', 'Incomplete'],
        Accuracy: ['Accurate', 'PartiallyAccurate', 'Inaccurate'],
      });
    },
  },
  'nemotron-personas': {
    columns: [
      'uuid',
      'first_name',
      'middle_name',
      'last_name',
      'sex',
      'age',
      'marital_status',
      'education_level',
      'occupation',
      'city',
      'state',
      'zipcode',
      'country',
      'cultural_background',
      'skills_and_expertise',
      'hobbies_and_interests',
    ],
    check: ({ rows }) => {
      expectStrings(
        rows,
        'uuid',
        /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/,
      );
      expect(distinct(rows, 'uuid').size).toBe(rows.length);
      expectAllIn(rows, 'sex', ['Male', 'Female']);
      for (const age of values(rows, 'age')) {
        expect(Number.isInteger(age)).toBe(true);
        expect(age).toBeGreaterThanOrEqual(18);
        expect(age).toBeLessThanOrEqual(114);
      }
      expectStrings(rows, 'cultural_background', /\S/);
    },
  },
  'statistical-samplers': {
    columns: [
      'order_id',
      'region',
      'store',
      'basket_value',
      'delivery_hours',
      'is_member',
      'discount',
      'items',
      'support_calls',
      'session_minutes',
      'satisfaction',
      'age_bucket',
      'ordered_at',
      'order_date',
      'shipped_at',
      'list_price',
      'sale_price',
      'price_band',
    ],
    check: ({ rows }) => {
      expectStrings(rows, 'order_id', /^ORD-[0-9a-f]{8}$/);
      const stores: Record<string, string[]> = {
        north: ['N1', 'N2'],
        south: ['S1', 'S2', 'S3'],
        east: ['E1'],
        west: ['W1', 'W2'],
      };
      expectAllIn(rows, 'is_member', [0, 1]);
      expectAllIn(rows, 'age_bucket', [1, 2, 3, 4, 5, 6]);
      expectStrings(rows, 'order_date', /^2024-0[1-3]-\d{2}$/);
      for (const r of rows) {
        expect(stores[r['region'] as string]).toContain(r['store']);
        const basket = r['basket_value'] as number;
        expect(Math.round(basket * 100) / 100).toBe(basket);
        expect(r['delivery_hours']).toBeGreaterThanOrEqual(6); // scalar_inequality ge 6
        expect(r['sale_price']).toBeLessThan(r['list_price'] as number); // column_inequality lt
        expect(r['discount']).toBeGreaterThanOrEqual(0);
        for (const c of ['items', 'support_calls']) expect(Number.isInteger(r[c])).toBe(true);
        expect(r['items']).toBeLessThanOrEqual(10);
        expect(r['satisfaction']).toBeGreaterThan(0);
        expect(r['satisfaction']).toBeLessThan(1);
        const hours =
          (Date.parse(String(r['shipped_at'])) - Date.parse(String(r['ordered_at']))) / 3_600_000;
        expect(Number.isInteger(hours) && hours >= 1 && hours < 72).toBe(true);
        expect(r['price_band']).toBe(basket > 250 ? 'premium' : 'standard');
      }
    },
  },
  'embeddings-and-processors': {
    columns: [
      'category',
      'question',
      'answer',
      'answer__trace',
      'search_terms',
      'question_embedding',
      'search_terms_embedding',
    ],
    check: ({ rows, extraTables }) => {
      for (const r of rows) {
        expect(r['question_embedding']).toBeInstanceOf(Float32Array);
        const list = r['search_terms_embedding'] as Float32Array[];
        expect(list).toHaveLength(2);
        for (const v of list) expect(v).toBeInstanceOf(Float32Array);
        expect(r).not.toHaveProperty('scratch_notes');
      }
      const chat = extraTables['chat_format'] ?? [];
      expect(chat).toHaveLength(rows.length);
      chat.forEach((c, i) => {
        expect(c['metadata']).toBe(String(rows[i]!['category']).toUpperCase());
        expect(c['messages']).toEqual([
          { role: 'user', content: rows[i]!['question'] },
          { role: 'assistant', content: rows[i]!['answer'] },
        ]);
      });
    },
  },
};

describe('SPEC 1 Data Designer configs run unchanged (test/fixtures/dd)', () => {
  it('has an expectation for every fixture folder, and at least eight folders', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
    expect(fixtureNames().length).toBeGreaterThanOrEqual(8);
  });

  it('covers every column type, both constraint types and both processors', () => {
    const columnTypes = new Set<string>();
    const samplerTypes = new Set<string>();
    const constraints = new Set<string>();
    const processors = new Set<string>();
    for (const name of fixtureNames()) {
      let config;
      try {
        config = loadFixture(name);
      } catch {
        continue; // reported by the fixture's own test
      }
      for (const c of config.columns) {
        columnTypes.add(c.column_type);
        if (c.column_type === 'sampler') samplerTypes.add(c.sampler_type);
      }
      for (const c of config.constraints) constraints.add(c.constraint_type);
      for (const p of config.processors) processors.add(p.processor_type);
    }
    expect([...columnTypes].sort()).toEqual(
      [
        'embedding',
        'expression',
        'llm-code',
        'llm-judge',
        'llm-structured',
        'llm-text',
        'sampler',
        'seed-dataset',
        'validation',
      ].sort(),
    );
    expect(samplerTypes.size).toBeGreaterThanOrEqual(13);
    expect([...constraints].sort()).toEqual(['column_inequality', 'scalar_inequality']);
    expect([...processors].sort()).toEqual(['drop_columns', 'schema_transform']);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: validates and generates ${ROWS} rows with --simulate`, async () => {
      const run = await runFixture(name, { overrides: { numRecords: ROWS, bufferSize: 7 } });
      expect(run.result.firstErrors).toEqual([]);
      expect([run.result.rowsWritten, run.result.droppedRows]).toEqual([ROWS, 0]);
      expect(run.columns).toEqual(expected.columns);
      for (const row of run.rows)
        expect(Object.keys(row).sort()).toEqual([...expected.columns].sort());
      expected.check(run);
    });
  }
});
