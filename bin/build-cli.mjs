#!/usr/bin/env node
// Builds the headless command into dist-cli/ (tabsynth.mjs, and one chunk per
// command in dist-cli/chunks/ that loads only when that command runs, so a run never
// parses the server's code; pure-JS dependencies bundled in, wasm and lazily loaded
// ones left to node_modules) so `tabsynth` starts without compiling TypeScript. `npm ci` runs it
// through the `prepare` script; bin/tabsynth.mjs runs the sources instead when they
// are newer than the build (a working tree being edited). The build needs only the
// production dependencies at run time (no tsx): `node bin/build-cli.mjs [OUT_DIR]`
// (default: dist-cli/) builds it elsewhere, as the test of the image's install does.
import { build } from 'vite';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist-cli');

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: join(root, 'src/cli/main.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      output: {
        entryFileNames: 'tabsynth.mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
        format: 'es',
      },
    },
  },
  ssr: {
    target: 'node',
    // Pure-JS dependencies read at every start go into the bundle: one file parses
    // faster than hundreds resolved one by one, and Node's ESM loader does not lex
    // CommonJS ones (tslib, flatbuffers) for their exports. Wasm packages and lazily
    // loaded ones stay in node_modules.
    noExternal: [
      'apache-arrow',
      'ajv',
      '@huggingface/jinja',
      'jsonc-parser',
      'yaml',
      'hyparquet',
      'd3-dsv',
      'tslib',
      'flatbuffers',
    ],
  },
});
