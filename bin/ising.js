#!/usr/bin/env node
// Launcher of the `ising` CLI: runs the TypeScript sources through tsx, so `npx ising` works right
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Dawn keeps native handles alive; exit explicitly once the output is written.
process.exit(code);
