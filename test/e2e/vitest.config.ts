// End-to-end tests of the built site (dist/), driven by playwright-core and the system
// Chromium: the app's (app*.e2e.ts) and the runtime's (runtime*.e2e.ts, through the
// harness page built as a second entry). `npm run test:e2e` builds dist/ first.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/*.e2e.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
