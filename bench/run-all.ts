/**
 * Runs every bench/*-bench.ts in turn, each as its own `node --import tsx` process (so one
 * bench's JIT state, heap and child processes never affect the next), with its output shown as
 * it comes. Ends with how long each took and exits non-zero if any failed. `npm run bench`
 * builds first, then calls this.
 *
 *   node --import tsx bench/run-all.ts [name ...]   (e.g. `proxy serve`: only benches whose file name contains one)
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './bench-stats.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = join(BENCH_DIR, '..');
/** A bench that has not finished after this long is stopped (each is meant to take ~2 min). */
const TIME_LIMIT_MS = 6 * 60_000;

/** Runs one bench file to completion; resolves its exit code (null when killed). */
function runBench(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', file)], {
      cwd: ROOT_DIR,
      stdio: 'inherit',
    });
    const timer = setTimeout(() => {
      process.stderr.write(`\n${file}: still running after ${TIME_LIMIT_MS / 60_000} min, stopping it\n`);
      child.kill('SIGTERM');
    }, TIME_LIMIT_MS);
    child.once('error', (error) => {
      process.stderr.write(`${file}: ${error.message}\n`);
      clearTimeout(timer);
      resolve(null);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('-bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    process.stderr.write(`no bench/*-bench.ts matches ${filters.join(' ')}\n`);
    process.exitCode = 2;
    return;
  }
  const rows: string[][] = [];
  for (const file of files) {
    process.stdout.write(`\n=== ${file} ===\n`);
    const started = performance.now();
    const code = await runBench(file);
    rows.push([
      file,
      ((performance.now() - started) / 1000).toFixed(1),
      code === 0 ? 'ok' : `failed (${code})`,
    ]);
  }
  printTable('Benchmarks run', ['bench', 'seconds', 'result'], rows);
  if (rows.some((r) => r[2] !== 'ok')) process.exitCode = 1;
}

await main();
