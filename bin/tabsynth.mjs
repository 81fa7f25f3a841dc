#!/usr/bin/env node
// The headless command: registers tsx so Node runs the TypeScript sources as they
// are, then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
