#!/usr/bin/env node
// `ralex run` and `ralex context` first try the project's running `ralex serve` (the thin client:
// only Node's own modules load); the full command line loads only when that is not possible.
const thin =
  (process.argv[2] === 'run' || process.argv[2] === 'context') &&
  (await (await import('./run-fast-path.js')).throughServer(process.argv));
if (!thin) await (await import('./full-cli.js')).runFullCli();
