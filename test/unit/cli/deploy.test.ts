/**
 * deploy/: the Kubernetes manifests have the shape SPEC 6 needs, and their container
 * commands work: each index of the Indexed Job run here with JOB_COMPLETION_INDEX set
 * and $(VAR) expanded as Kubernetes expands it, then the merge Job's command, give
 * the whole dataset. The Slurm array script runs the same way with SLURM_ARRAY_TASK_ID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readParquet, withoutProgress } from '../compat/cli-run.ts';

const ROOT = resolve(__dirname, '../../..');
const K8S = join(ROOT, 'deploy/kubernetes');
const BIN = join(ROOT, 'bin/tabsynth.mjs');
const SLOW = { timeout: 300_000 };

interface Container {
  image: string;
  command: string[];
  args: string[];
  envFrom?: { secretRef?: { name: string } }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: Record<string, unknown>;
}
interface PodSpec {
  restartPolicy: string;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes: {
    name: string;
    configMap?: { name: string };
    persistentVolumeClaim?: { claimName: string };
  }[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: Record<string, unknown> & { template?: { spec: PodSpec } };
}

async function manifests(file: string): Promise<Manifest[]> {
  const docs = parseAllDocuments(await readFile(join(K8S, file), 'utf8'));
  return docs.map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Manifest;
  });
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tabsynth-deploy-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs argv as the container would, `tabsynth` being this checkout's bin, paths mapped. */
function runContainer(argv: string[], env: Record<string, string>, map: (s: string) => string) {
  const [program, ...args] = argv;
  expect(program).toBe('tabsynth');
  // Kubernetes expands $(NAME) in command and args from the container's environment.
  const expanded = args.map((a) =>
    map(a.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (_, n: string) => env[n] ?? '')),
  );
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [BIN, ...expanded],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('deploy/kubernetes', SLOW, () => {
  it('an Indexed Job of shards, a merge Job, the config from a ConfigMap, keys from a Secret, a shared volume; non-root', async () => {
    const [job] = await manifests('generate-job.yaml');
    const [merge] = await manifests('merge-job.yaml');
    const [configMap] = await manifests('configmap.yaml');
    const [secret] = await manifests('secret.yaml');
    const [volume] = await manifests('volume.yaml');
    expect(job?.kind).toBe('Job');
    expect(job?.spec?.['completionMode']).toBe('Indexed');
    const completions = job?.spec?.['completions'] as number;
    expect(completions).toBeGreaterThan(1);
    expect(job?.spec?.['parallelism']).toBeLessThanOrEqual(completions);
    expect(job?.spec?.['backoffLimitPerIndex']).toBeGreaterThan(0);
    const pod = job!.spec!.template!.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const shard = pod.containers[0]!;
    const argv = [...shard.command, ...shard.args];
    expect(argv.join(' ')).toContain(`--shard $(JOB_COMPLETION_INDEX)/${completions}`);
    expect(argv.join(' ')).toContain('--resume if-possible');
    expect(shard.envFrom?.[0]?.secretRef?.name).toBe(secret?.metadata.name);
    expect(secret?.kind).toBe('Secret');
    const configVolume = pod.volumes.find((v) => v.configMap)!;
    expect(configVolume.configMap?.name).toBe(configMap?.metadata.name);
    const dataVolume = pod.volumes.find((v) => v.persistentVolumeClaim)!;
    expect(dataVolume.persistentVolumeClaim?.claimName).toBe(volume?.metadata.name);
    expect((volume?.spec?.['accessModes'] as string[]).includes('ReadWriteMany')).toBe(true);

    expect(merge?.kind).toBe('Job');
    const mergePod = merge!.spec!.template!.spec;
    expect(mergePod.securityContext.runAsNonRoot).toBe(true);
    const mergeArgv = [...mergePod.containers[0]!.command, ...mergePod.containers[0]!.args];
    expect(mergeArgv.slice(0, 2)).toEqual(['tabsynth', 'merge']);
    expect(mergePod.volumes[0]?.persistentVolumeClaim?.claimName).toBe(volume?.metadata.name);
  });

  it("runs the Job's container command for every index, as the Job would, then the merge Job's: the whole dataset", async () => {
    const [job] = await manifests('generate-job.yaml');
    const [merge] = await manifests('merge-job.yaml');
    const [configMap] = await manifests('configmap.yaml');
    const configDir = join(work, 'config');
    const dataDir = join(work, 'data');
    await mkdir(configDir, { recursive: true });
    await mkdir(dataDir, { recursive: true });
    for (const [name, text] of Object.entries(configMap!.data ?? {}))
      await writeFile(join(configDir, name), text);
    const map = (s: string) =>
      s.replace(/^\/config\//, `${configDir}/`).replace(/^\/data\//, `${dataDir}/`);

    const pod = job!.spec!.template!.spec;
    const container = pod.containers[0]!;
    const completions = job!.spec!['completions'] as number;
    const rows = Number(container.args[container.args.indexOf('--rows') + 1]);
    const shards = await Promise.all(
      Array.from({ length: completions }, (_, index) =>
        runContainer(
          [...container.command, ...container.args],
          { JOB_COMPLETION_INDEX: String(index) },
          map,
        ),
      ),
    );
    for (const [index, ran] of shards.entries()) {
      expect(withoutProgress(ran.stderr), `index ${index}`).toBe('');
      expect(ran.code, `index ${index}`).toBe(0);
      expect(ran.stdout).toContain(`shard ${index} of ${completions}`);
      // What `kubectl logs` shows of a pod: its shard's progress, ending with the final line.
      expect(ran.stderr.trim().split('\n').at(-1)).toMatch(
        new RegExp(
          `^progress \\[shard ${index}/${completions}\\] done: (\\d+) / \\1 rows \\(100%\\)`,
        ),
      );
    }
    const mergeContainer = merge!.spec!.template!.spec.containers[0]!;
    const merged = await runContainer([...mergeContainer.command, ...mergeContainer.args], {}, map);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    const out = map(mergeContainer.args[mergeContainer.args.indexOf('--out') + 1]!);
    const dataset = await readParquet(out);
    expect(dataset).toHaveLength(rows);
    expect(Object.keys(dataset[0]!)).toEqual(['region', 'age', 'income', 'visits', 'tier']);
  });
});

describe('deploy/slurm', SLOW, () => {
  it('the array script runs each task with SLURM_ARRAY_TASK_ID, and the merge script joins them', async () => {
    const script = await readFile(join(ROOT, 'deploy/slurm/generate.sbatch'), 'utf8');
    const array = /^#SBATCH --array=0-(\d+)$/m.exec(script);
    const shards = Number(array?.[1]) + 1;
    expect(shards).toBeGreaterThan(1);
    expect(script).toContain(`SHARDS=\${SHARDS:-${shards}}`);
    const [configMap] = await manifests('configmap.yaml');
    const dir = join(work, 'slurm');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.yaml'), configMap!.data!['config.yaml']!);
    const env = {
      CONFIG: join(dir, 'config.yaml'),
      ROWS: '3000',
      OUT: join(dir, 'run'),
      DATASET: join(dir, 'dataset.parquet'),
      TABSYNTH: `${process.execPath} ${BIN}`,
    };
    const bash = (file: string, extra: Record<string, string>) =>
      new Promise<{ code: number; stderr: string }>((done) => {
        execFile(
          'bash',
          [join(ROOT, 'deploy/slurm', file)],
          { env: { ...process.env, ...env, ...extra } },
          (err, _o, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stderr }),
        );
      });
    const tasks = await Promise.all(
      Array.from({ length: shards }, (_, i) =>
        bash('generate.sbatch', { SLURM_ARRAY_TASK_ID: String(i) }),
      ),
    );
    for (const t of tasks) expect(t.code, t.stderr).toBe(0);
    const merged = await bash('merge.sbatch', {});
    expect(merged.code, merged.stderr).toBe(0);
    expect(await readParquet(env.DATASET)).toHaveLength(3000);
  });
});
