import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium.ts';
import type { Plugin } from 'vite';

/**
 * Starts the engine worker from a classic script in the head of the built
 * index.html, before the main bundle is fetched: the worker's thread start, fetch
 * and compile then overlap the page's own start instead of waiting for the main
 * thread to finish mounting. main.ts adopts the worker (window.__tabsynthEngine).
 * Build only; in dev main.ts starts the worker itself.
 */
function startEngineWorkerEarly(): Plugin {
  return {
    name: 'tabsynth:start-engine-worker-early',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (ctx.path !== '/index.html') return;
        const file = Object.keys(ctx.bundle ?? {}).find((f) =>
          /(^|\/)engine\.worker-[\w-]+\.js$/.test(f),
        );
        if (!file) return;
        const url = JSON.stringify(`./${file}`);
        return [
          {
            tag: 'script',
            injectTo: 'head',
            children:
              `try{window.__tabsynthEngine=new Worker(${url},{type:'module'});` +
              `window.__tabsynthEngine.addEventListener('error',function(){window.__tabsynthEngine=undefined})}` +
              `catch(e){}`,
          },
        ];
      },
    },
  };
}

export default defineConfig({
  // './' so the built site works from any sub-path of a static host.
  base: './',
  plugins: [svelte(), startEngineWorkerEarly()],
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
                executablePath: CHROMIUM_PATH,
                args: CHROMIUM_ARGS,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
