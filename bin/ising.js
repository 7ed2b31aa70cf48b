#!/usr/bin/env node
// Launcher of the `ising` CLI: runs the TypeScript sources through tsx, so `npx ising` works right
// after `npm ci` with no build step. The CLI runs in this process, so a stop signal sent to it
// reaches the run (which saves its checkpoint and exits 143 or 130).
import { register } from 'tsx/esm/api';

// Under npx (npx -> sh -> node) a scheduler's SIGTERM reaches npx, which exits without passing it
// on. When the launcher that started us goes away, stop as if we had been sent SIGTERM.
if (process.env.npm_command === 'exec') {
  const launcher = process.ppid;
  setInterval(() => {
    if (process.ppid !== launcher) process.kill(process.pid, 'SIGTERM');
  }, 250).unref();
}

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Dawn keeps native handles alive; exit explicitly once the output is written.
process.exit(code);
