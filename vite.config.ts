import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  // './' so the built site works from any sub-path of a static host.
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  optimizeDeps: {
    include: [
      'comlink',
      'apache-arrow',
      'idb-keyval',
      'parquet-wasm/esm',
      'yaml',
      '@huggingface/jinja',
    ],
  },
  build: {
    target: 'es2022',
    // The runtime's e2e harness (test/e2e/support/) is a second page of the built site.
    rollupOptions: {
      input: {
        main: 'index.html',
        'runtime-harness': 'test/e2e/support/runtime-harness.html',
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: chromiumArgs,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
