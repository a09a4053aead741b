import { baseName } from '../command-pattern.js';
import { interpreterCode, joinCode } from './interpreter-code.js';

/** Code an interpreter will run: shell code is analysed again, other languages are opaque. */
export interface InlineCode {
  language: 'shell' | 'other';
  interpreter: string;
  /** The code when it is a literal, `null` when it only exists at run time. */
  code: string | null;
  /** `arg` for -c/-e/eval, `stdin` when the interpreter reads its program from standard input. */
  from: 'arg' | 'stdin';
}

/** A command with its wrappers peeled off. */
export interface Unwrapped {
  /** The innermost command's words (what actually runs). */
  argv: string[];
  /** Wrapper names in order (`sudo`, `env`, `xargs`, ...). */
  wrappers: string[];
  /** Extra commands found inside (find -exec ...). */
  extra: string[][];
  /** Environment assignments made through `env`/`cross-env`. */
  env: { name: string; value: string }[];
  code: InlineCode[];
  /** True when a wrapper appends words only known at run time (xargs). */
  appendsArgs: boolean;
  /** The string xargs replaces with each input line (`-I {}`), if any. */
  replace?: string;
  /** A script file an interpreter runs (`bash x.sh`, `python x.py`). */
  script?: string;
}

interface WrapperSpec {
  /** Options that take the next word as their value. */
  withValue: string[];
  /** Positional words to skip before the inner command (timeout's duration, chroot's dir). */
  skip?: number;
}

const W = (withValue = '', skip = 0): WrapperSpec => ({
  withValue: withValue.split(' ').filter(Boolean),
  skip,
});

/** Commands that run another command given as their remaining words. */
const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: W(
    '-u -g -C -D -h -p -r -t -U -T --user --group --chdir --host --prompt --role --type --other-user --close-from',
  ),
  doas: W('-u -C'),
  pkexec: W('--user'),
  runuser: W('-u -g -G'),
  chroot: W('--userspec --groups', 1),
  sg: W('', 1),
  nice: W('-n --adjustment'),
  ionice: W('-c -n -p --class --classdata'),
  chrt: W('', 1),
  taskset: W('', 1),
  nohup: W(),
  time: W('-f -o --format --output'),
  timeout: W('-s -k --signal --kill-after', 1),
  stdbuf: W('-i -o -e'),
  setsid: W(),
  unbuffer: W(),
  caffeinate: W('-t -w'),
  builtin: W(),
  exec: W('-a'),
  coproc: W(),
  command: W(),
  xargs: W(
    '-I -L -n -P -s -d -E -a --arg-file --delimiter --max-args --max-procs --max-lines --replace --eof --max-chars --process-slot-var',
  ),
  flock: W('-w -E --timeout --conflict-exit-code', 1),
  npx: W('-p --package --cache'),
  bunx: W('-p --package'),
  pnpx: W(),
  uvx: W('--from --with -p --python'),
  'cross-env': W(),
  dotenv: W('-e -v -c'),
  valgrind: W(),
  busybox: W(),
  catchsegv: W(),
  env: W('-u -C -S --unset --chdir --split-string'),
};

/** `tool sub` pairs that run the rest as a command (`uv run pytest`, `npm exec vitest`). */
const RUNNERS =
  /^(uv run|poetry run|pipenv run|pdm run|hatch run|rye run|conda run|bundle exec|bundler exec|npm exec|npm x|pnpm exec|pnpm dlx|yarn exec|yarn dlx|bun x|bun exec|dotnet exec|mise exec|mise x|asdf exec|direnv exec|nix-shell --run|nix develop -c|opam exec|stack exec|cabal exec|rbenv exec|pyenv exec)$/;

/** Peels wrappers off a command (sudo, env, nice, timeout, xargs, npx, uv run, ...) and finds inline code. */
export function unwrapCommand(argv: readonly string[]): Unwrapped {
  const out: Unwrapped = { argv: [...argv], wrappers: [], extra: [], env: [], code: [], appendsArgs: false };
  for (let depth = 0; depth < 12; depth++) {
    const a = out.argv;
    const name = baseName(a[0] ?? '');
    const runner = `${name} ${a[1] ?? ''}`;
    if (RUNNERS.test(runner)) {
      out.wrappers.push(runner);
      out.argv = skipOptions(a.slice(2), W('--with --from -p --python -e --env --package --name -n -c'));
      continue;
    }
    const spec = WRAPPERS[name];
    if (spec) {
      if (name === 'command' && a.slice(1).some((x) => x === '-v' || x === '-V')) return out;
      if (name === 'env' || name === 'cross-env') {
        if (!env(a, out)) return out;
        continue;
      }
      if (name === 'flock' || name === 'npx') {
        const c = a.indexOf('-c');
        if (c > 0) {
          out.wrappers.push(name);
          out.code.push({ language: 'shell', interpreter: name, code: a[c + 1] ?? null, from: 'arg' });
          out.argv = [];
          return out;
        }
      }
      const inner = skipOptions(a.slice(1), spec);
      out.wrappers.push(name);
      if (name === 'xargs') {
        out.appendsArgs = true;
        out.replace = xargsReplace(a);
        out.argv = inner.length ? inner : ['echo'];
      } else out.argv = inner;
      if (inner.length === 0) return out;
      continue;
    }
    if (name === 'watch') {
      out.wrappers.push(name);
      out.code.push({
        language: 'shell',
        interpreter: 'watch',
        code: joinCode(skipOptions(a.slice(1), W('-n -d --interval --differences'))),
        from: 'arg',
      });
      return out;
    }
    if (name === 'find') findExec(a, out);
    else interpreterCode(a, name, out);
    return out;
  }
  return out;
}

function skipOptions(args: string[], spec: WrapperSpec): string[] {
  let i = 0;
  for (; i < args.length; i++) {
    const x = args[i]!;
    if (x === '--') {
      i++;
      break;
    }
    if (!x.startsWith('-') || x === '-') break;
    if (spec.withValue.includes(x)) i++;
  }
  return args.slice(i + (spec.skip ?? 0));
}

function env(a: string[], out: Unwrapped): boolean {
  out.wrappers.push(baseName(a[0]!));
  let i = 1;
  for (; i < a.length; i++) {
    const x = a[i]!;
    if (x === '-S' || x === '--split-string') {
      out.code.push({
        language: 'shell',
        interpreter: 'env -S',
        code: a.slice(i + 1).join(' '),
        from: 'arg',
      });
      out.argv = [];
      return false;
    }
    if (x === '-u' || x === '-C' || x === '--unset' || x === '--chdir') i++;
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(x)) {
      const eq = x.indexOf('=');
      out.env.push({ name: x.slice(0, eq), value: x.slice(eq + 1) });
    } else if (x === '--') {
      i++;
      break;
    } else if (!x.startsWith('-')) break;
  }
  out.argv = a.slice(i);
  if (out.argv.length > 0) return true;
  out.wrappers.pop();
  out.argv = a;
  return false;
}

function findExec(a: string[], out: Unwrapped): void {
  for (let i = 1; i < a.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(a[i]!)) continue;
    let j = i + 1;
    while (j < a.length && a[j] !== ';' && a[j] !== '+') j++;
    const inner = a.slice(i + 1, j);
    if (inner.length) {
      const sub = unwrapCommand(inner);
      out.extra.push(sub.argv, ...sub.extra);
      // `find / -exec rm -rf {} \;` deletes every start point itself first: judge it as `rm -rf /`.
      if (FIND_DELETERS.has(baseName(sub.argv[0] ?? '')) && sub.argv.includes('{}'))
        for (const start of findStartPoints(a)) out.extra.push(sub.argv.map((w) => (w === '{}' ? start : w)));
      out.code.push(...sub.code);
      out.wrappers.push('find -exec', ...sub.wrappers);
    }
    i = j;
  }
}

const FIND_DELETERS = new Set(['rm', 'rmdir', 'shred', 'unlink', 'srm', 'wipe']);

/** The directories find starts from (`find [-H|-L|-P] [-D x] [-Ox] DIR... EXPRESSION`); `.` when none is given. */
function findStartPoints(a: string[]): string[] {
  const starts: string[] = [];
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    if (x === '-H' || x === '-L' || x === '-P' || /^-O\d$/.test(x)) continue;
    if (x === '-D') {
      i++;
      continue;
    }
    if (x.startsWith('-') || x === '(' || x === '!' || x === ')') break;
    starts.push(x);
  }
  return starts.length ? starts : ['.'];
}

/** The replace string of `xargs -I R` / `-i` / `--replace[=R]`. */
function xargsReplace(a: string[]): string | undefined {
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    if (x === '-I') return a[i + 1];
    if (x.startsWith('-I')) return x.slice(2);
    if (x === '-i' || x === '--replace') return '{}';
    if (x.startsWith('--replace=')) return x.slice('--replace='.length);
    if (!x.startsWith('-')) break;
  }
  return undefined;
}
