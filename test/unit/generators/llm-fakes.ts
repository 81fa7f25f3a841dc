/** A scripted ModelAccess and a cell context for the llm-* and embedding generator tests. */
import type { CellContext, ModelAccess } from '../../../src/core/engine/plan.ts';
import type { ModelBinding } from '../../../src/core/generators/llm-text.ts';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../../../src/core/models/types.ts';
import type { Row } from '../../../src/core/storage/types.ts';

export type ChatCall = Omit<ChatRequest, 'seed' | 'signal'>;
export type EmbedCall = Omit<EmbeddingRequest, 'seed' | 'signal'>;

/** Answers chats from `answers` in turn (the last one repeats) and records every request. */
export class ScriptedModels implements ModelAccess {
  chats: { key: string; request: ChatCall }[] = [];
  embeds: { key: string; request: EmbedCall }[] = [];

  constructor(
    private answers: readonly string[] = [],
    private vectors: (request: EmbedCall) => Float32Array[] = (r) =>
      r.input.map((text, i) => Float32Array.from([text.length, i])),
  ) {}

  chat(key: string, request: ChatCall): Promise<ChatResponse> {
    // A copy, so a later push to the generator's conversation cannot rewrite history.
    this.chats.push({
      key,
      request: { ...request, messages: request.messages.map((m) => ({ ...m })) },
    });
    const text = this.answers[Math.min(this.chats.length, this.answers.length) - 1] ?? '';
    return Promise.resolve({
      text,
      reasoning: `reasoning ${this.chats.length}`,
      usage: { promptTokens: 1, completionTokens: 1 },
      attempts: 1,
    });
  }

  embed(key: string, request: EmbedCall): Promise<EmbeddingResponse> {
    this.embeds.push({ key, request });
    return Promise.resolve({
      vectors: this.vectors(request),
      usage: { promptTokens: 1, completionTokens: 0 },
      attempts: 1,
    });
  }

  /** The user messages of chat `n` (0-based). */
  userMessages(n: number): string[] {
    return (this.chats[n]?.request.messages ?? [])
      .filter((m) => m.role === 'user')
      .map((m) => m.content);
  }
}

export const binding: ModelBinding = {
  modelKey: 'sim/judge-model',
  model: 'judge-model',
  temperature: 0.5,
  timeout: 30,
};

export function cellContext(models: ModelAccess, row: Row = {}): CellContext {
  return {
    row,
    rowIndex: 3,
    seed: 1234,
    runSeed: 7,
    signal: new AbortController().signal,
    models,
  };
}

/** A template stand-in: the prompt is fixed text plus the row's `topic`. */
export const prompt = (row: Readonly<Row>) => `Describe ${String(row['topic'] ?? 'nothing')}.`;

/** What `result` rejects with; fails the test when it resolves. */
export async function rejection(result: unknown): Promise<unknown> {
  try {
    await result;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, got a value');
}
