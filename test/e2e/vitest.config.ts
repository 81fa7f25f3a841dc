// End-to-end tests of the built site (dist/), driven by playwright-core and the system
// Chromium. Run `npm run build` first, then `npx vitest run --config test/e2e/vitest.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/app*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
