#!/usr/bin/env node
// `ralex run` first tries the project's running `ralex serve` (the thin client: only Node's own
// modules load); the full command line loads only when that is not possible.
const thin =
  process.argv[2] === 'run' &&
  (await (await import('./run-fast-path.js')).runThroughServer(process.argv.slice(3)));
if (!thin) await (await import('./full-cli.js')).runFullCli();
