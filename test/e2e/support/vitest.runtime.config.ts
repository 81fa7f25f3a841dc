// The runtime's end-to-end tests (test/e2e/runtime*.e2e.ts) on the built site, through
// playwright-core and the system Chromium. They build dist/ when it lacks the harness page.
// Run: npx vitest run --config test/e2e/support/vitest.runtime.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/e2e/runtime*.e2e.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
