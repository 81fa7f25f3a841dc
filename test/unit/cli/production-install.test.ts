/**
 * The command's image (Dockerfile) installs the production dependencies alone
 * (`npm ci --omit=dev`) beside the prebuilt dist-cli/ and bin/tabsynth.mjs. This
 * lays out the same: the build, the entry point, and a node_modules holding exactly
 * the packages package-lock.json does not mark `dev` (linked from this checkout), so
 * neither tsx nor any other dev dependency resolves; then runs the command there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readParquet } from '../compat/cli-run.ts';

const ROOT = resolve(__dirname, '../../..');
const SLOW = { timeout: 300_000 };

let app: string;

interface LockPackage {
  dev?: boolean;
}

function run(args: string[], cwd = app): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'tabsynth-production-'));
  await mkdir(join(app, 'bin'));
  await copyFile(join(ROOT, 'bin/tabsynth.mjs'), join(app, 'bin/tabsynth.mjs'));
  await copyFile(join(ROOT, 'package.json'), join(app, 'package.json'));
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  for (const [path, pkg] of Object.entries(lock.packages)) {
    // Top-level packages only: nested ones come inside their parent's folder.
    if (!path.startsWith('node_modules/') || path.includes('/node_modules/', 1) || pkg.dev) {
      continue;
    }
    // Optional packages for other platforms are not installed here.
    if (!existsSync(join(ROOT, path))) continue;
    await mkdir(dirname(join(app, path)), { recursive: true });
    await symlink(join(ROOT, path), join(app, path), 'dir');
  }
  const built = await run([join(ROOT, 'bin/build-cli.mjs'), join(app, 'dist-cli')], ROOT);
  expect(built.code, built.stderr).toBe(0);
}, 300_000);
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
});

describe('the production install runs the built command', SLOW, () => {
  it('package.json keeps tsx (and every build tool) out of the production dependencies', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const tool of ['tsx', 'typescript', 'vite', 'vitest']) {
      expect(Object.keys(pkg.dependencies)).not.toContain(tool);
    }
    expect(() => createRequire(join(app, 'bin/tabsynth.mjs')).resolve('tsx')).toThrow();
  });

  it('generates with samplers, people, an expression and a simulated llm column, with no dev dependency installed', async () => {
    const out = join(app, 'notes.parquet');
    const ran = await run([
      'bin/tabsynth.mjs',
      'generate',
      join(ROOT, 'examples/patient-notes.yaml'),
      '--rows',
      '30',
      '--buffer-size',
      '10',
      '--simulate',
      '--out',
      out,
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/wrote 30 of 30 rows/);
    const rows = await readParquet(out);
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => Object.values(r).every((v) => v !== undefined))).toBe(true);
  });

  it('shards and merge work there too', async () => {
    const shared = join(app, 'shared');
    for (const shard of ['0/2', '1/2']) {
      const ran = await run([
        'bin/tabsynth.mjs',
        'generate',
        join(ROOT, 'examples/statistical.yaml'),
        '--rows',
        '40',
        '--buffer-size',
        '10',
        '--out',
        shared,
        '--shard',
        shard,
      ]);
      expect(ran.code, ran.stderr).toBe(0);
    }
    const merged = await run([
      'bin/tabsynth.mjs',
      'merge',
      shared,
      '--out',
      join(app, 'm.parquet'),
    ]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(await readParquet(join(app, 'm.parquet'))).toHaveLength(40);
  });

  it('without the build it says how to make it, instead of failing to load tsx', async () => {
    const bare = join(app, 'bare');
    await mkdir(join(bare, 'bin'), { recursive: true });
    await copyFile(join(app, 'bin/tabsynth.mjs'), join(bare, 'bin/tabsynth.mjs'));
    const ran = await run(['bin/tabsynth.mjs', '--help'], bare);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /expected the built command in .*dist-cli.*found none.*npm run build:cli/,
    );
  });
});
