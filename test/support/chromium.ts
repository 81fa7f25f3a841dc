/**
 * The system Chromium and the flags that keep it quiet on this closed network
 * (ARCHITECTURE.md): one place for Vitest browser mode, the e2e tests and the
 * browser benchmarks.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
