/**
 * Tokens and what they cost (SPEC 3.10): prices per million prompt and answer tokens
 * per model, as the user entered them (no built-in price table to go stale); usage
 * per model as a run and its manifest keep it; the estimate of a run from its preview.
 */
/** US dollars per million tokens. */
export interface ModelPrices {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** What one model used, as the manifest keeps it across resumes. */
export interface ModelUsage {
  label: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  /** Present when the model has prices. */
  costUsd?: number;
}

/** Cost of `usage` at `prices`; undefined without prices. */
export function costOf(
  usage: { tokensIn: number; tokensOut: number },
  prices: ModelPrices | null | undefined,
): number | undefined {
  if (!prices) return undefined;
  return (
    (usage.tokensIn * prices.inputPerMillion + usage.tokensOut * prices.outputPerMillion) / 1e6
  );
}

/** The sum of the costs that are known; undefined when none is. */
export function totalCost(usages: Iterable<{ costUsd?: number }>): number | undefined {
  let total: number | undefined;
  for (const u of usages) if (u.costUsd !== undefined) total = (total ?? 0) + u.costUsd;
  return total;
}

/** `$0.0123`: four decimals, as the CLI's summary line prints it. */
export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/**
 * Tokens a request is likely to use before it is sent: its prompt at about four
 * characters a token (plus a few per message), and `max_tokens` for the answer, or
 * `answerGuess` (the model's mean answer so far) when there is no max_tokens.
 */
export function estimateRequestTokens(
  prompt: readonly { content: string }[] | readonly string[],
  maxTokens: number | null | undefined,
  answerGuess: number,
): number {
  let chars = 0;
  for (const m of prompt) chars += (typeof m === 'string' ? m : m.content).length + 16;
  return Math.ceil(chars / 4) + (maxTokens ?? Math.ceil(answerGuess));
}

interface ModelEstimate {
  label: string;
  /** Tokens per row the preview used. */
  tokensInPerRow: number;
  tokensOutPerRow: number;
  /** Times the rows asked for. */
  tokensIn: number;
  tokensOut: number;
  costUsd?: number;
}

export interface RunEstimate {
  rows: number;
  models: Record<string, ModelEstimate>;
  /** Present when at least one model has prices. */
  costUsd?: number;
}

/**
 * The estimate of a run of `rows` rows from a preview of `previewRows` rows whose
 * usage per model was `usage` (RunResult.models): tokens per row per model times the
 * rows, and the cost where the model has prices. A preview answered from the response
 * cache used no tokens and estimates none.
 */
export function estimateRun(
  usage: Readonly<Record<string, ModelUsage>>,
  previewRows: number,
  rows: number,
): RunEstimate {
  const models: Record<string, ModelEstimate> = {};
  const scale = previewRows > 0 ? rows / previewRows : 0;
  for (const [key, u] of Object.entries(usage)) {
    const per = previewRows > 0 ? 1 / previewRows : 0;
    const e: ModelEstimate = {
      label: u.label,
      tokensInPerRow: u.tokensIn * per,
      tokensOutPerRow: u.tokensOut * per,
      tokensIn: Math.round(u.tokensIn * scale),
      tokensOut: Math.round(u.tokensOut * scale),
    };
    if (u.costUsd !== undefined) e.costUsd = u.costUsd * scale;
    models[key] = e;
  }
  const costUsd = totalCost(Object.values(models));
  return { rows, models, ...(costUsd !== undefined ? { costUsd } : {}) };
}
