/**
 * `tabsynth`: validate, preview and generate datasets from a Data Designer config
 * without a browser. The same core as the web app, with a directory as the store.
 */
import { parseArgs } from 'node:util';
import { foldResumeArgument, parseResumeMode, resumeWordNote } from './resume.ts';
import { parseShard } from './shard.ts';
import { errorLine, processOutput, UsageError } from './output.ts';
import type { Output } from './output.ts';

export const USAGE = `usage:
  tabsynth validate CONFIG
  tabsynth preview CONFIG [-n 10] [--seed S] [--simulate]
  tabsynth generate CONFIG --rows N --out PATH [--seed S] [--trace FILE.jsonl]
                    [--simulate] [--resume [if-possible]] [--buffer-size B]
                    [--run-config RUN.yaml] [--shard K/COUNT | --shard auto/COUNT]
                    [--progress-interval SECONDS]
  tabsynth check-models CONFIG
  tabsynth merge DIR [--out FILE.parquet]
  tabsynth serve [--port 4173] [--dist DIR]

PATH ending in .parquet, .csv or .jsonl writes one file; any other PATH is a
directory with one Parquet file per row group plus manifest.json. --resume
continues the run in PATH; --resume if-possible continues it when the config
matches and starts fresh otherwise. --shard K/COUNT generates shard K (0-based)
of COUNT into a directory shared by all shards; auto/COUNT reads K from
JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX; merge
checks the shards and joins them. Progress is one line redrawn on a terminal;
where stderr is not one (a pod log, a Slurm output file, CI), or with display_tui:
false in the run config, it is a line at most every --progress-interval seconds
(default: the run config's progress_interval, else 5) and a last line at the end.
Ctrl-C stops and keeps what is committed.`;

const OPTIONS = {
  n: { type: 'string', short: 'n' },
  rows: { type: 'string' },
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  trace: { type: 'string' },
  simulate: { type: 'boolean' },
  resume: { type: 'string' },
  'buffer-size': { type: 'string' },
  'run-config': { type: 'string' },
  shard: { type: 'string' },
  'progress-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  output: Output = processOutput,
): Promise<number> {
  if (argv[0] === 'serve') {
    const { serveCommand } = await import('./serve.ts');
    return serveCommand(argv.slice(1), output);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: foldResumeArgument(argv),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    output.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, configPath, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    output.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (configPath === undefined || rest.length > 0) {
    const what = command === 'merge' ? 'DIR' : 'CONFIG path';
    const note = resumeWordNote(argv, rest);
    output.err(
      `${command}: expected exactly one ${what}, got ${positionals.length - 1}${note}\n\n${USAGE}`,
    );
    return 2;
  }
  try {
    switch (command) {
      // Each command's modules load when it runs: a run never loads the server's.
      case 'validate': {
        const { validateCommand } = await import('./validate.ts');
        return await validateCommand(configPath, output);
      }
      case 'preview': {
        const { previewCommand } = await import('./preview.ts');
        return await previewCommand(
          configPath,
          {
            rows: intOption('-n', values.n, 10, 1),
            seed: intOption('--seed', values.seed, undefined, Number.MIN_SAFE_INTEGER),
            simulate: values.simulate ?? false,
          },
          output,
        );
      }
      case 'generate': {
        const { generateCommand } = await import('./generate.ts');
        return await generateCommand(
          configPath,
          {
            rows: intOption('--rows', values.rows, undefined, 1),
            out: values.out,
            seed: intOption('--seed', values.seed, undefined, Number.MIN_SAFE_INTEGER),
            bufferSize: intOption('--buffer-size', values['buffer-size'], undefined, 1),
            trace: values.trace,
            simulate: values.simulate ?? false,
            resume: parseResumeMode(values.resume),
            runConfig: values['run-config'],
            shard: values.shard === undefined ? undefined : parseShard(values.shard, process.env),
            progressInterval: secondsOption('--progress-interval', values['progress-interval']),
          },
          output,
        );
      }
      case 'check-models': {
        const { checkModelsCommand } = await import('./check-models.ts');
        return await checkModelsCommand(configPath, output);
      }
      case 'merge': {
        const { mergeCommand } = await import('./merge.ts');
        return await mergeCommand(configPath, { out: values.out }, output);
      }
      default:
        output.err(
          `unknown command "${command}": expected validate, preview, generate, check-models or merge\n\n${USAGE}`,
        );
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      output.err(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    output.err(errorLine(err));
    return 1;
  }
}

function intOption(
  name: string,
  raw: string | undefined,
  fallback: number | undefined,
  min: number,
): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      `${name}: expected an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got "${raw}"`,
    );
  }
  return n;
}

/** A number of seconds > 0 ("0.5", "5", "60"), or undefined when the option is absent. */
function secondsOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${name}: expected a number of seconds > 0, got "${raw}"`);
  }
  return n;
}
