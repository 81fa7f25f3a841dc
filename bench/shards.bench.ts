/**
 * `npm run bench -- shards [ROWS]`: 1M rows of examples/statistical.yaml (samplers
 * and an expression) through the command, as a user runs it: one process writing one
 * Parquet file, against two shard processes at once into one directory and then
 * `merge --out` into one file. Also the one-process run's generation time (what its
 * summary line reports) beside its end-to-end time, to show what writing the file
 * adds. The CLI is built first (dist-cli), so no run pays for TypeScript compilation.
 *
 * Figures (last line, JSON): single_s, sharded_s (both shards, wall), merge_s,
 * speedup (single_s / sharded_s), end_to_end_speedup (single_s / (sharded_s +
 * merge_s)), single_generation_s, single_end_to_end_ratio, identical (the merged file
 * holds the same bytes as the one-process file), cores; on Linux also single_cpu_s and
 * sharded_cpu_s (CPU seconds of the processes, from /proc/self/stat's reaped-children
 * times) and cpu_speedup (single_cpu_s / (sharded_cpu_s / 2)): the speedup two idle
 * cores would give, which a machine shared with other work hides from the wall times.
 * Also on Linux: single_wait_s and sharded_wait_s, the seconds each process's main
 * (generating) thread sat runnable waiting for a core (/proc/PID/schedstat, sampled
 * while it runs), and load_adjusted_speedup, the speedup of the wall times less those
 * waits: the figure an otherwise idle machine would come near; and speedup_bound,
 * single_s / (sharded_cpu_s / cores): the most any scheduling of the shards' CPU time
 * on this machine's cores could give. It sits below 1.7 whenever the two shards
 * together need more CPU than cores / 1.7 times the one process's wall time: each shard
 * repeats the start and V8's optimising of the hot code, which a single process does
 * once, on a core it leaves idle (README, Scale). `load` is the 1-minute
 * load average at the start and the end. Every run is a session of its own (see
 * `tabsynth` below).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printFigures, printTable, round } from './support/report.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'bin/tabsynth.mjs');
const CONFIG = join(root, 'examples/statistical.yaml');
const ROWS = process.argv[2] ?? '1000000';

interface Ran {
  seconds: number;
  /** Seconds the main thread waited for a core (NaN off Linux). */
  waited: number;
  stdout: string;
}

/** Seconds thread `pid` has waited runnable for a core (schedstat(5) field 2), or NaN. */
function runQueueWait(pid: number | undefined): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return NaN;
  }
}

/** Runs `tabsynth ...args`; resolves to its wall seconds, its wait for a core and stdout. */
function tabsynth(...args: string[]): Promise<Ran> {
  const t0 = performance.now();
  // Each run in a session of its own, as a batch system runs each shard as its own job:
  // Linux's autogroup scheduling shares the CPU between sessions, so on a busy machine
  // shards left in the bench's session would share one session's part between them.
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let stdout = '';
  let waited = runQueueWait(child.pid);
  // Sampled while it runs: once it has exited, /proc no longer has it.
  const sampler = setInterval(() => {
    const w = runQueueWait(child.pid);
    if (!Number.isNaN(w)) waited = w;
  }, 50);
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code === 0) resolve({ seconds: (performance.now() - t0) / 1000, waited, stdout });
      else reject(new Error(`tabsynth ${args.join(' ')} exited ${code}\n${stdout}`));
    }),
  );
}

/** CPU seconds (user + system) of this process's exited children; NaN off Linux. */
function childrenCpu(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat(5) (cutime, cstime), in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

const built = spawnSync(process.execPath, [join(root, 'bin/build-cli.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('building dist-cli failed');

const dir = await mkdtemp(join(tmpdir(), 'tabsynth-bench-shards-'));
try {
  const common = ['--rows', ROWS, '--buffer-size', '1000', '--seed', '1'];
  const load0 = loadavg()[0]!;
  const cpu0 = childrenCpu();
  const single = await tabsynth(
    'generate',
    CONFIG,
    ...common,
    '--out',
    join(dir, 'single.parquet'),
  );
  const cpu1 = childrenCpu();
  const generation = Number(/, ([\d.]+) s,/.exec(single.stdout)?.[1] ?? NaN);

  const shared = join(dir, 'shared');
  const t0 = performance.now();
  const shards = await Promise.all(
    ['0/2', '1/2'].map((s) =>
      tabsynth('generate', CONFIG, ...common, '--out', shared, '--shard', s),
    ),
  );
  const sharded = (performance.now() - t0) / 1000;
  // The pair takes as long as its slower shard would have without its wait for a core.
  const shardedAdjusted = Math.max(...shards.map((r) => r.seconds - r.waited));
  const shardedWait = shards.reduce((n, r) => n + r.waited, 0);
  const cpu2 = childrenCpu();
  const singleCpu = cpu1 - cpu0;
  const shardedCpu = cpu2 - cpu1;
  const merged = await tabsynth('merge', shared, '--out', join(dir, 'merged.parquet'));
  const identical =
    (await sha(join(dir, 'single.parquet'))) === (await sha(join(dir, 'merged.parquet')));

  printTable(`${ROWS} rows of examples/statistical.yaml, ${availableParallelism()} cores`, [
    { run: '1 process, one .parquet file', seconds: round(single.seconds, 2) },
    { run: '  of which generation (its summary)', seconds: round(generation, 2) },
    { run: '  its CPU time', seconds: round(singleCpu, 2) },
    { run: '2 shard processes at once', seconds: round(sharded, 2) },
    { run: '  their CPU time, both', seconds: round(shardedCpu, 2) },
    { run: '1 process: main thread waiting for a core', seconds: round(single.waited, 2) },
    { run: '2 shards: main threads waiting, both', seconds: round(shardedWait, 2) },
    { run: 'merge --out one .parquet file', seconds: round(merged.seconds, 2) },
  ]);
  printFigures({
    single_s: round(single.seconds, 2),
    sharded_s: round(sharded, 2),
    merge_s: round(merged.seconds, 2),
    speedup: round(single.seconds / sharded, 2),
    end_to_end_speedup: round(single.seconds / (sharded + merged.seconds), 2),
    single_generation_s: round(generation, 2),
    single_end_to_end_ratio: round(single.seconds / generation, 2),
    single_cpu_s: round(singleCpu, 2),
    sharded_cpu_s: round(shardedCpu, 2),
    cpu_speedup: round(singleCpu / (shardedCpu / 2), 2),
    single_wait_s: round(single.waited, 2),
    sharded_wait_s: round(shardedWait, 2),
    load_adjusted_speedup: round((single.seconds - single.waited) / shardedAdjusted, 2),
    speedup_bound: round(single.seconds / (shardedCpu / availableParallelism()), 2),
    load: `${round(load0, 1)} -> ${round(loadavg()[0]!, 1)}`,
    identical,
    cores: availableParallelism(),
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
