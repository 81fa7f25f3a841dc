/**
 * `embedding` (SPEC 1): the vector of `target_column`'s text from an embeddings
 * endpoint, one request per cell. As Data Designer, a target holding a list of
 * texts (an array, or a string that is a JSON array) is embedded text by text in one
 * request and gives a list of vectors; any other value is one text and gives one
 * vector. Texts are trimmed, as Data Designer does.
 */
import { ErrorCodes, ModelError, TabsynthError } from '../errors.ts';
import type { CellGenerator, CellValues } from '../engine/plan.ts';
import type { ModelBinding } from './llm-text.ts';

interface EmbeddingOptions {
  name: string;
  upstream: string[];
  /** The column whose text is embedded. Required. */
  targetColumn: string;
  binding: ModelBinding;
  /** Vector length asked of the endpoint (`inference_parameters.dimensions`). Default: the model's. */
  dimensions?: number | null;
}

/** The texts of a target value, and whether it was a list (which gives a list of vectors). */
export function embeddingInput(value: unknown): { texts: string[]; list: boolean } | undefined {
  if (value == null) return undefined;
  if (Array.isArray(value)) return { texts: value.map(asText), list: true };
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) return { texts: parsed.map(asText), list: true };
      } catch {
        // not a JSON list: the string is one text
      }
    }
    return { texts: [trimmed], list: false };
  }
  return { texts: [asText(value)], list: false };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `embedding`: a Float32Array per cell, or an array of them for a list of texts. */
export function embeddingGenerator(options: EmbeddingOptions): CellGenerator {
  const { name, binding, targetColumn } = options;
  const dimensions = options.dimensions ?? undefined;
  return {
    name,
    granularity: 'cell',
    outputs: [name],
    upstream: options.upstream,
    modelKey: binding.modelKey,
    async generate(ctx): Promise<CellValues> {
      const input = embeddingInput(ctx.row[targetColumn]);
      if (!input) {
        throw new TabsynthError(
          ErrorCodes.GENERATOR_FAILED,
          `column '${name}': expected text in target column '${targetColumn}', got ${String(ctx.row[targetColumn])}`,
          { column: name, targetColumn },
        );
      }
      if (input.texts.length === 0) return { [name]: [] };
      const response = await ctx.models.embed(binding.modelKey, {
        model: binding.model,
        input: input.texts,
        ...(dimensions !== undefined ? { dimensions } : {}),
        ...(binding.timeout != null ? { timeoutMs: binding.timeout * 1000 } : {}),
      });
      if (response.vectors.length !== input.texts.length) {
        throw new ModelError(
          ErrorCodes.MODEL_BAD_RESPONSE,
          `column '${name}': expected ${input.texts.length} embedding(s) from model "${binding.model}", got ${response.vectors.length}`,
          { column: name, model: binding.model },
        );
      }
      return { [name]: input.list ? response.vectors : response.vectors[0]! };
    },
  };
}
