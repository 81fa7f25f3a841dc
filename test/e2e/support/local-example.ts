/** The product-reviews example with its models on a local OpenAI-compatible server, as a file to import. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const EXAMPLE = resolve(import.meta.dirname, '../../../examples/product-reviews.yaml');

/** Its model columns: answers per row. */
export const MODEL_COLUMNS_PER_ROW = 2;
/** Its columns, as the preview's header shows them. */
export const EXAMPLE_HEADER = [
  '#',
  'review_id',
  'product',
  'rating',
  'price',
  'sentiment',
  'review',
  'title',
];

/** Writes the example pointed at `endpoint`; returns the file and its rows per row group. */
export function localExample(endpoint: string): { file: string; bufferSize: number } {
  const example = parse(readFileSync(EXAMPLE, 'utf8')) as {
    model_providers: unknown[];
    model_configs: { provider: string }[];
    run: { buffer_size: number };
  };
  example.model_providers = [{ name: 'local', provider_type: 'openai', endpoint }];
  for (const m of example.model_configs) m.provider = 'local';
  const file = join(mkdtempSync(join(tmpdir(), 'tabsynth-e2e-config-')), 'product-reviews.yaml');
  writeFileSync(file, stringify(example));
  return { file, bufferSize: example.run.buffer_size };
}
