import { describe, expect, it } from 'vitest';
import { cellText, formatSummary, formatTable } from '../../../src/cli/format.ts';
import type { RunResult } from '../../../src/core/engine/events.ts';

describe('preview table', () => {
  it('truncates wide values with an ellipsis and keeps columns aligned', () => {
    const table = formatTable(
      ['id', 'text'],
      [
        { id: 1, text: 'x'.repeat(50) },
        { id: 22, text: null },
      ],
      10,
    );
    const lines = table.split('\n');
    expect(lines[0]).toBe('id | text');
    expect(lines[2]).toBe(`1  | ${'x'.repeat(9)}…`);
    expect(lines[3]).toBe('22 |');
  });

  it('shows objects as JSON, dates as ISO and embeddings by length', () => {
    expect(cellText({ score: 4n, ok: true }, 80)).toBe('{"score":"4","ok":true}');
    expect(cellText(new Date(0), 80)).toBe('1970-01-01T00:00:00.000Z');
    expect(cellText(new Float32Array(3), 80)).toBe('[3 floats]');
    expect(cellText('two\nlines', 80)).toBe('two lines');
  });
});

describe('generate summary', () => {
  const result: RunResult = {
    runId: 'run',
    rowsWritten: 90,
    rowsRequested: 100,
    droppedRows: 10,
    stoppedEarly: false,
    firstErrors: [
      {
        kind: 'MODEL_BAD_RESPONSE:review',
        code: 'MODEL_BAD_RESPONSE',
        message: 'not JSON\nmore',
        column: 'review',
        count: 10,
      },
    ],
    requests: 120,
    tokensIn: 3000,
    tokensOut: 4000,
    wallMs: 2500,
  };

  it('says rows written of requested, dropped rows, time, requests, tokens and the first errors', () => {
    expect(formatSummary(result, 'out.parquet')).toBe(
      'wrote 90 of 100 rows to out.parquet, 10 dropped, 2.5 s, 120 requests, tokens 3000 in / 4000 out, ' +
        'first errors: MODEL_BAD_RESPONSE:review [review] x10: not JSON',
    );
  });

  it("a shard counts its own rows and names the run's", () => {
    expect(
      formatSummary({ ...result, rowsWritten: 40, firstErrors: [] }, 'shared', {
        shard: { index: 1, count: 2, rows: 50 },
      }),
    ).toMatch(
      /^wrote 40 of 50 rows \(shard 1\/2 of a 100-row run\) to shared, 10 dropped, 2\.5 s,/,
    );
  });

  it('ends with the cost when models have prices, four decimals', () => {
    expect(formatSummary({ ...result, firstErrors: [], costUsd: 0.01234 }, 'out')).toMatch(
      /, tokens 3000 in \/ 4000 out, cost \$0\.0123$/,
    );
    expect(formatSummary({ ...result, firstErrors: [] }, 'out')).not.toMatch(/cost/);
  });
});
