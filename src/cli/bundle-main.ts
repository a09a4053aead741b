#!/usr/bin/env node
// The `ralex` command as installed (bundled by scripts/bundle-cli.mjs into dist/bundle/main.js).
// `ralex run` and `ralex context` first try the project's running `ralex serve` (the thin
// client: only Node's own modules load); otherwise the whole command line loads from one bundled
// file with its code cache (load-bundled-cli.ts). `dist/cli/main.js` is the same command line from the unbundled
// modules, for development.
import { fileURLToPath } from 'node:url';
import { loadBundledCli } from './load-bundled-cli.js';

const thin =
  (process.argv[2] === 'run' || process.argv[2] === 'context') &&
  (await (await import('./run-fast-path.js')).throughServer(process.argv));
if (!thin)
  await loadBundledCli(fileURLToPath(new URL('../bundle/full-cli.cjs', import.meta.url))).runFullCli();
