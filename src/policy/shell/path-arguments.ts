import { baseName } from '../command-pattern.js';
import { INERT_PROGRAMS } from './program-catalog.js';

/** Paths a command reads and writes, as far as its words tell. */
export interface PathArguments {
  reads: string[];
  writes: string[];
}

/** Programs whose every positional word is a file they change. */
const WRITE_ALL = new Set([
  'rm',
  'rmdir',
  'unlink',
  'shred',
  'truncate',
  'touch',
  'mkdir',
  'tee',
  'mkfifo',
  'mv',
  'srm',
  'wipe',
]);
/** Programs whose first positional is not a path (mode, owner). */
const WRITE_AFTER_FIRST = new Set(['chmod', 'chown', 'chgrp', 'chattr', 'setfacl']);
/** Programs that write their last positional (or the -t directory) and read the others. */
const COPY_LIKE = new Set(['cp', 'ln', 'install', 'rsync', 'scp']);
/** Options whose value is a file the program writes. */
const WRITE_OPTIONS: Record<string, string[]> = {
  curl: [
    '-o',
    '--output',
    '-c',
    '--cookie-jar',
    '-D',
    '--dump-header',
    '--trace',
    '--trace-ascii',
    '--output-dir',
  ],
  wget: [
    '-O',
    '--output-document',
    '-P',
    '--directory-prefix',
    '-o',
    '--output-file',
    '-a',
    '--append-output',
  ],
  tar: ['-C', '--directory'],
  unzip: ['-d'],
  patch: ['-o', '--output', '-d', '--directory'],
  sort: ['-o', '--output'],
  git: ['--output', '-o', '--output-directory'],
  find: ['-fprint', '-fprint0', '-fprintf', '-fls'],
  time: ['-o', '--output'],
  strace: ['-o'],
  ltrace: ['-o'],
  tee: [],
  gcc: ['-o'],
  cc: ['-o'],
  'g++': ['-o'],
  clang: ['-o'],
};

/**
 * Finds the path arguments of one (unwrapped) command: which words it writes (rm's targets,
 * cp's destination, `sed -i` files, `dd of=`, `curl -o`) and which it may read (every other
 * word that looks like a path). Heuristic by design: the result feeds path checks, where a
 * wrong "read" guess costs at most an `ask`.
 */
export function pathArguments(argv: readonly string[]): PathArguments {
  const name = baseName(argv[0] ?? '');
  const args = argv.slice(1);
  const out: PathArguments = { reads: [], writes: [] };
  if (INERT_PROGRAMS.has(name) && name !== 'cd' && name !== 'pushd') return out;
  const positionals = positionalWords(args);
  if (WRITE_ALL.has(name)) out.writes.push(...positionals);
  else if (WRITE_AFTER_FIRST.has(name))
    out.writes.push(...(args.some((a) => a.startsWith('--reference')) ? positionals : positionals.slice(1)));
  else if (COPY_LIKE.has(name)) {
    const t = optionValue(args, ['-t', '--target-directory']);
    if (t !== undefined) {
      out.writes.push(t);
      out.reads.push(...positionals.filter((p) => p !== t));
    } else if (positionals.length > 0) {
      out.writes.push(positionals.at(-1)!);
      out.reads.push(...positionals.slice(0, -1));
    }
  } else if (name === 'dd') {
    for (const a of args) {
      if (a.startsWith('of=')) out.writes.push(a.slice(3));
      else if (a.startsWith('if=')) out.reads.push(a.slice(3));
    }
  } else if (name === 'sed' && args.some((a) => /^(-i|--in-place)/.test(a) || /^-[a-zA-Z]*i/.test(a))) {
    const hasScriptOption = args.some(
      (a) => a === '-e' || a === '-f' || a.startsWith('--expression') || a.startsWith('--file'),
    );
    out.writes.push(...(hasScriptOption ? positionals : positionals.slice(1)));
  } else if (name === 'find' && args.includes('-delete')) {
    out.writes.push(...args.slice(0, firstExpression(args)));
  } else if (name === 'tar') {
    tarFiles(args, out);
  } else if (name === 'zip' && positionals.length > 0) {
    out.writes.push(positionals[0]!);
    out.reads.push(...positionals.slice(1).filter(looksLikePath));
  } else if (name === 'git' && GIT_WRITES[`${positionals[0]} ${positionals[1]}`] !== undefined) {
    out.writes.push(...positionals.slice(GIT_WRITES[`${positionals[0]} ${positionals[1]}`]!));
  } else if (name === 'git' && (positionals[0] === 'init' || positionals[0] === 'clone')) {
    out.writes.push(...positionals.slice(positionals[0] === 'init' ? 1 : 2));
  } else {
    out.reads.push(...args.filter(looksLikePath).map(stripPrefixes));
    if (name === 'cd' || name === 'pushd') out.reads.push(...positionals.slice(0, 1));
  }
  const writeOpts = WRITE_OPTIONS[name];
  if (writeOpts) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const eq = a.indexOf('=');
      const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
      if (!writeOpts.includes(flag)) continue;
      const v = flag === a ? args[i + 1] : a.slice(eq + 1);
      if (v !== undefined && v !== '-') {
        if (name === 'tar' && !args.some((x) => /^(-?[a-zA-Z]*x|--extract|--get)/.test(x))) out.reads.push(v);
        else out.writes.push(v);
      }
    }
  }
  return out;
}

/** `git <sub> <verb>` forms that create the paths after them (index of the first path word). */
const GIT_WRITES: Record<string, number> = { 'worktree add': 2, 'bundle create': 2, 'submodule add': 3 };

/** tar: the archive (-f) is written when creating, read otherwise; -C is where extraction writes. */
function tarFiles(args: readonly string[], out: PathArguments): void {
  const first = args[0] ?? '';
  const modes = args.filter((a) => /^-?[a-zA-Z]+$/.test(a) && !a.startsWith('--')).join('');
  const creating = /[cruA]/.test(modes) || args.some((a) => /^--(create|append|update|concatenate)$/.test(a));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let file: string | undefined;
    if (a.startsWith('--file=')) file = a.slice(7);
    else if (a === '--file' || (/^-[a-zA-Z]*f$/.test(a) && a !== '-f' ? true : a === '-f'))
      file = args[i + 1];
    else if (i === 0 && /^[a-zA-Z]*f$/.test(first)) file = args[1];
    if (file !== undefined && file !== '-') (creating ? out.writes : out.reads).push(file);
  }
  out.reads.push(...args.filter((a) => !a.startsWith('-') && looksLikePath(a)));
}

/** Words that are not options; `--` ends options. */
function positionalWords(args: readonly string[]): string[] {
  const out: string[] = [];
  let ended = false;
  for (const a of args) {
    if (!ended && a === '--') ended = true;
    else if (ended || !a.startsWith('-') || a === '-') out.push(a);
  }
  return out.filter((a) => a !== '-');
}

function optionValue(args: readonly string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (names.includes(a)) return args[i + 1];
    for (const n of names) if (n.startsWith('--') && a.startsWith(`${n}=`)) return a.slice(n.length + 1);
  }
  return undefined;
}

function firstExpression(args: readonly string[]): number {
  const i = args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!');
  return i === -1 ? args.length : i;
}

/** True when a word may name a file: has a slash, starts with `~` or `.`, or is a known secret name. */
function looksLikePath(word: string): boolean {
  const w = stripPrefixes(word);
  if (w === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(w)) return false;
  return (
    w.includes('/') ||
    w.startsWith('~') ||
    w.startsWith('.') ||
    /(^|\/)(id_[a-z0-9]+|[^/]*\.(pem|key|p12|pfx|ppk|jks)|credentials(\.json)?|\.env.*)$/i.test(w)
  );
}

/** `--file=x` → `x`, `@x` (curl data file) → `x`, `key=@x` → `x`. */
function stripPrefixes(word: string): string {
  let w = word;
  if (w.startsWith('-')) {
    const eq = w.indexOf('=');
    w = eq > 0 ? w.slice(eq + 1) : '';
  }
  const at = w.indexOf('=@');
  if (at >= 0) w = w.slice(at + 2);
  if (w.startsWith('@')) w = w.slice(1);
  return w;
}
