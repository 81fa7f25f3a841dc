/**
 * `generate`'s progress where stderr is not a terminal (a pod's log, a Slurm output
 * file, CI) and Data Designer's progress settings in a run-config file. Time is a
 * clock that moves 1 ms each time it is read: how many lines a run prints then
 * depends on the interval and on what the run reports, never on how fast it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, type Clock } from '../../../src/core/clock.ts';
import { generateCommand, type GenerateOptions } from '../../../src/cli/generate.ts';
import { main } from '../../../src/cli/main.ts';
import type { Output } from '../../../src/cli/output.ts';
import { isProgressLine } from '../compat/cli-run.ts';

const SAMPLERS = `
columns:
  - { name: product, column_type: sampler, sampler_type: category, params: { values: [lamp, mug, desk] } }
  - { name: label, column_type: expression, expr: "{{ product }}!" }
`;

let dir: string;
let outputs = 0;
const file = (name: string) => join(dir, name);

/** A clock that is 1 ms later each time it is read; its sleeps wake only when aborted. */
function steppingClock(): Clock {
  const never = new FakeClock();
  let t = 0;
  return { now: () => ++t, sleep: (ms, signal) => never.sleep(ms, signal) };
}

interface Ran {
  code: number;
  stdout: string[];
  stderr: string[];
  /** What was drawn on the (fake) terminal. */
  terminal: string[];
}

/** 12 rows in row groups of 3 from the sampler config, progress on a stepping clock. */
async function generate(more: Partial<GenerateOptions> = {}): Promise<Ran> {
  const ran: Ran = { code: 0, stdout: [], stderr: [], terminal: [] };
  const output: Output = { out: (t) => ran.stdout.push(t), err: (t) => ran.stderr.push(t) };
  ran.code = await generateCommand(
    file('samplers.yaml'),
    {
      rows: 12,
      out: file(`out-${++outputs}`),
      seed: 1,
      bufferSize: 3,
      trace: undefined,
      simulate: false,
      resume: 'never',
      terminal: undefined,
      clock: steppingClock(),
      ...more,
    },
    output,
  );
  return ran;
}

/** The run-config file `name` holding `text`; its path. */
async function runConfig(name: string, text: string): Promise<string> {
  await writeFile(file(name), text);
  return file(name);
}

const progressLines = (lines: string[]) => lines.filter(isProgressLine);
const committed = (line: string) => Number(/ (\d+) \/ \d+ rows/.exec(line)?.[1]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-progress-'));
  await writeFile(file('samplers.yaml'), SAMPLERS);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generate progress where stderr is not a terminal', () => {
  it("prints plain progress lines as row groups commit, then a final line; the run config's progress_interval sets how often", async () => {
    const often = await generate({
      runConfig: await runConfig('often.yaml', 'progress_interval: 0.001\n'),
    });
    expect(often.code).toBe(0);
    const lines = progressLines(often.stderr);
    // No carriage return or escape sequence: a log shows lines as they are.
    for (const control of ['\r', '\x1b']) expect(lines.join('\n')).not.toContain(control);
    // 1 ms apart, every report that moved is a line: the engine reports after each commit.
    const during = lines.slice(0, -1);
    for (const rows of [3, 6, 9]) expect(during.map(committed)).toContain(rows);
    for (const line of during) {
      expect(line).toMatch(
        /^progress: \d+ \/ 12 rows \(\d+%\), [\d.]+ rows\/s, \d+ requests in flight, \d+ cells done, elapsed /,
      );
      expect(committed(line) % 3).toBe(0);
    }
    expect(lines.at(-1)).toMatch(
      /^progress done: 12 \/ 12 rows \(100%\), [\d.]+ rows\/s, 0 requests in flight, \d+ cells done, elapsed [\d.]+s$/,
    );
    expect(often.stdout.at(-1)).toMatch(/^wrote 12 of 12 rows/);

    const rarely = await generate({
      runConfig: await runConfig('rarely.yaml', 'progress_interval: 3600\n'),
    });
    expect(rarely.code).toBe(0);
    // An hour apart: the first report, then only the final line.
    const few = progressLines(rarely.stderr);
    expect(few).toHaveLength(2);
    expect(few[1]).toMatch(/^progress done: 12 \/ 12 rows \(100%\)/);
    expect(rarely.stderr.join('\n')).not.toMatch(/warning/);
  });

  it('--progress-interval wins over the run config file', async () => {
    const ran = await generate({
      runConfig: await runConfig('often-too.yaml', 'progress_interval: 0.001\n'),
      progressInterval: 3600,
    });
    expect(ran.code).toBe(0);
    expect(progressLines(ran.stderr)).toHaveLength(2);
  });

  it('a shard names itself and counts the rows of its own row groups', async () => {
    // 12 rows in groups of 3 are groups 0..3; shard 1 of 3 has groups 1 (3 rows).
    const ran = await generate({ shard: { index: 1, count: 3 }, progressInterval: 0.001 });
    expect(ran.code).toBe(0);
    const lines = progressLines(ran.stderr);
    for (const line of lines)
      expect(line).toMatch(/^progress \[shard 1\/3\]( done)?: \d+ \/ 3 rows/);
    expect(lines.at(-1)).toMatch(/^progress \[shard 1\/3\] done: 3 \/ 3 rows \(100%\)/);
  });

  it('a shard that owns no row group says so and still ends its log with a final line: nothing to do, done', async () => {
    // 12 rows in groups of 3 are groups 0..3: shard 5 of 8 has none of them.
    const ran = await generate({ shard: { index: 5, count: 8 } });
    expect(ran.code).toBe(0);
    expect(ran.stdout[0]).toBe('shard 5 of 8 (0-based): 0 of 4 row groups');
    expect(progressLines(ran.stderr)).toEqual([
      expect.stringMatching(
        /^progress \[shard 5\/8\] done: 0 \/ 0 rows \(100%\), 0\.0 rows\/s, 0 requests in flight, 0 cells done, elapsed /,
      ),
    ]);
    expect(ran.stderr.filter((l) => !isProgressLine(l))).toEqual([]);
  });
});

describe('display_tui and progress_bar', () => {
  it('on a terminal, progress is one line redrawn in place and nothing is logged', async () => {
    const terminal: string[] = [];
    const ran = await generate({ terminal: { write: (t) => terminal.push(t) } });
    expect(ran.code).toBe(0);
    expect(progressLines(ran.stderr)).toEqual([]);
    expect(terminal[0]).toMatch(/^\r\d+ \/ 12 rows/);
    expect(terminal.at(-1)).toMatch(/^\r12 \/ 12 rows \(100%\).*\n$/);
  });

  it('display_tui: false logs plain lines on a terminal too, as Data Designer does', async () => {
    const terminal: string[] = [];
    const ran = await generate({
      terminal: { write: (t) => terminal.push(t) },
      runConfig: await runConfig('no-tui.yaml', 'display_tui: false\n'),
    });
    expect(ran.code).toBe(0);
    expect(terminal).toEqual([]);
    expect(progressLines(ran.stderr).at(-1)).toMatch(/^progress done: 12 \/ 12 rows/);
    expect(ran.stderr.join('\n')).not.toMatch(/warning/);
  });

  it("progress_bar: false is read as display_tui, with Data Designer's deprecation warning; display_tui wins when both are set", async () => {
    const terminal: string[] = [];
    const ran = await generate({
      terminal: { write: (t) => terminal.push(t) },
      runConfig: await runConfig('no-bar.yaml', 'progress_bar: false\n'),
    });
    expect(ran.code).toBe(0);
    expect(terminal).toEqual([]);
    expect(ran.stderr).toContainEqual(
      `warning: ${file('no-bar.yaml')}: progress_bar is deprecated in Data Designer; write display_tui (read as display_tui here)`,
    );

    const both: string[] = [];
    const ranBoth = await generate({
      terminal: { write: (t) => both.push(t) },
      runConfig: await runConfig('both.yaml', 'progress_bar: false\ndisplay_tui: true\n'),
    });
    expect(ranBoth.code).toBe(0);
    expect(both.length).toBeGreaterThan(0);
    expect(progressLines(ranBoth.stderr)).toEqual([]);
    expect(ranBoth.stderr.join('\n')).toMatch(
      /progress_bar is deprecated.*display_tui, which this file also sets and which wins/,
    );
  });
});

describe('bad progress settings', () => {
  const args = (out: string) => [
    'generate',
    file('samplers.yaml'),
    '--rows',
    '3',
    '--out',
    file(out),
  ];

  it('a progress_interval that is not a number above 0 is an error naming the file and the field', async () => {
    for (const [value, found] of [
      ['0', 'expected a number above 0, found the number 0'],
      ['-1', 'expected a number above 0, found the number -1'],
      ['fast', "expected a number, found the string 'fast'"],
    ]) {
      const err: string[] = [];
      const output: Output = { out: () => undefined, err: (t) => err.push(t) };
      const path = await runConfig(
        'bad-interval.yaml',
        `progress_interval: ${value}\ndisplay_tui: maybe\n`,
      );
      expect(await main([...args('bad'), '--run-config', path], output)).toBe(1);
      const text = err.join('\n');
      expect(text).toContain(`bad-interval.yaml: progress_interval: ${found}`);
      expect(text).toMatch(
        /bad-interval\.yaml: display_tui: expected true or false, found the string 'maybe'/,
      );
    }
  });

  it('--progress-interval takes seconds above 0 and says so otherwise', async () => {
    const err: string[] = [];
    const output: Output = { out: () => undefined, err: (t) => err.push(t) };
    expect(await main([...args('flag'), '--progress-interval', '0'], output)).toBe(2);
    expect(err.join('\n')).toMatch(
      /--progress-interval: expected a number of seconds > 0, got "0"[\s\S]*--progress-interval SECONDS/,
    );
    expect(await main([...args('flag'), '--progress-interval', 'soon'], output)).toBe(2);
    expect(err.join('\n')).toMatch(/got "soon"/);
  });
});
