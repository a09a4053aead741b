/**
 * Parse-stage latency on a 5,000-file synthetic project, side by side with a baseline: a naive
 * regex-only parse (trigger ending + first-verb intent, no file resolution). Prints p50/p99 per case.
 * Run: npx tsx bench/parse-bench.ts
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createFileMatcher } from '../src/pipeline/parse/file-matcher.js';
import { parseCommand } from '../src/pipeline/parse/parse-command.js';

/** A deterministic synthetic project of `count` files with realistic names and depths. */
function syntheticFiles(count: number): string[] {
  const dirs = [
    'src',
    'src/api',
    'src/api/v2',
    'src/components',
    'src/utils',
    'lib',
    'tests',
    'web/src',
    'docs',
    'scripts',
  ];
  const words = [
    'user',
    'auth',
    'format',
    'date',
    'payment',
    'service',
    'login',
    'form',
    'avatar',
    'client',
    'cache',
    'store',
    'router',
    'config',
    'session',
    'token',
    'order',
    'cart',
    'search',
    'index',
  ];
  const exts = ['ts', 'tsx', 'py', 'js', 'md', 'json', 'sql', 'yaml'];
  let seed = 42;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed >>> 16) % n;
  };
  const files = new Set<string>(['src/user_auth.py', 'src/app.ts', 'tests/test_user_auth.py', 'README.md']);
  while (files.size < count) {
    const dir = `${dirs[rand(dirs.length)]}${rand(3) === 0 ? `/m${rand(40)}` : ''}`;
    const name = [words[rand(words.length)], words[rand(words.length)], rand(4) === 0 ? String(rand(20)) : '']
      .filter(Boolean)
      .join(['_', '-', ''][rand(3)]);
    files.add(`${dir}/${name}.${exts[rand(exts.length)]}`);
  }
  return [...files];
}

const TRIGGER = /[\s,]+(execute|send it|go ahead|do it|run it|make it happen|proceed|apply it)[\s.!]*$/i;
const VERBS: [RegExp, string][] = [
  [/^(fix|debug)\b/, 'fix_bug'],
  [/^(run) (the )?tests?\b/, 'run_tests'],
  [/^(show|open|read|cat)\b/, 'show_file'],
  [/^(explain)\b/, 'explain'],
  [/^(refactor)\b/, 'refactor'],
  [/^(write|add) tests?\b/, 'test'],
];
/** The baseline: trigger regex and first-verb intent only. */
function naiveParse(text: string): { intent: string; autoSubmit: boolean; request: string } {
  const m = TRIGGER.exec(text);
  const request = (m ? text.slice(0, m.index) : text).trim().toLowerCase();
  const intent = VERBS.find(([re]) => re.test(request))?.[1] ?? 'question';
  return { intent, autoSubmit: m !== null, request };
}

const COMMANDS = [
  'fix the failing test in user auth dot py, execute',
  'um so can you please show me source slash app dot t s',
  'commit with message fix typo in readme',
  'open the, open user auth',
  'refactor the payment service across the whole project and the login form, send it please',
  'what changed',
  'explain foo bar baz dot py',
  'hey ralex could you write tests for src/user_auth.py and tests/test_user_auth.py then go ahead',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Wall-clock p50/p99 per call, and the mean CPU time per call (unaffected by other processes taking the cores). */
function measure(fn: () => unknown, iterations: number): { p50: number; p99: number; cpuMean: number } {
  for (let i = 0; i < 200; i++) fn();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    cpuMean: (cpu.user + cpu.system) / 1000 / iterations,
  };
}

const files = syntheticFiles(5000);
const t0 = performance.now();
const matcher = createFileMatcher(files);
const buildMs = performance.now() - t0;
const us = (ms: number) => `${(ms * 1000).toFixed(1).padStart(8)} µs`;

console.log(
  `parse bench: ${files.length} files, matcher built once in ${buildMs.toFixed(1)} ms; 2,000 runs per command; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(
  `${'command'.padEnd(60)} ${'parse p50'.padStart(11)} ${'parse p99'.padStart(11)} ${'parse cpu'.padStart(11)} ${'naive p50'.padStart(11)} ${'naive p99'.padStart(11)}`,
);
// Warm up every path once (JIT, and the garbage the matcher build left behind) before timing anything.
for (let i = 0; i < 300; i++) for (const text of COMMANDS) parseCommand(text, { matcher });
const all: { parse: number[]; naive: number[] } = { parse: [], naive: [] };
for (const text of COMMANDS) {
  const parse = measure(() => parseCommand(text, { matcher }), 2000);
  const naive = measure(() => naiveParse(text), 2000);
  all.parse.push(parse.p99);
  all.naive.push(naive.p99);
  const label = text.length > 58 ? `${text.slice(0, 57)}…` : text;
  console.log(
    `${label.padEnd(60)} ${us(parse.p50)} ${us(parse.p99)} ${us(parse.cpuMean)} ${us(naive.p50)} ${us(naive.p99)}`,
  );
}
const mixed = measure(() => {
  for (const text of COMMANDS) parseCommand(text, { matcher });
}, 500);
console.log(
  `all ${COMMANDS.length} commands in a row: p50 ${us(mixed.p50)}, p99 ${us(mixed.p99)}, cpu mean ${us(mixed.cpuMean)} (target: < 1 ms per command)`,
);
console.log(
  'parse cpu = mean CPU time per call; p99 wall-clock includes time the scheduler gave other processes.',
);
console.log(
  `worst per-command p99: parse ${us(Math.max(...all.parse))}, naive ${us(Math.max(...all.naive))}`,
);
