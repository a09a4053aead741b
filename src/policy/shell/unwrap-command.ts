import { baseName } from '../command-pattern.js';
import { CODE_INTERPRETERS, SHELLS } from './program-catalog.js';

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
    else interpreter(a, name, out);
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
      out.code.push(...sub.code);
      out.wrappers.push('find -exec', ...sub.wrappers);
    }
    i = j;
  }
}

function interpreter(a: string[], name: string, out: Unwrapped): void {
  const shell = SHELLS.has(name) || (name === 'busybox' && SHELLS.has(a[1] ?? ''));
  if (shell) {
    let i = 1;
    let code: string | null | undefined;
    let readsStdin = false;
    for (; i < a.length; i++) {
      const x = a[i]!;
      if (x === '--') {
        i++;
        break;
      }
      if (x === '-') {
        readsStdin = true;
        break;
      }
      if (!/^[-+]/.test(x)) break;
      if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(x)) code = a[i + 1] ?? null;
      if (/^-[a-zA-Z]*s[a-zA-Z]*$/.test(x)) readsStdin = true;
      if (x === '-o' || x === '+o' || x === '-O' || x === '+O' || x === '--rcfile' || x === '--init-file')
        i++;
    }
    if (code !== undefined) out.code.push({ language: 'shell', interpreter: name, code, from: 'arg' });
    else if (readsStdin || i >= a.length)
      out.code.push({ language: 'shell', interpreter: name, code: null, from: 'stdin' });
    else if (STDIN_FILES.test(a[i] ?? ''))
      out.code.push({ language: 'shell', interpreter: name, code: null, from: 'stdin' });
    else out.script = a[i];
    return;
  }
  const codeFlags = CODE_INTERPRETERS.get(name) ?? (/^python\d(\.\d+)?$/.test(name) ? ['-c'] : undefined);
  if (codeFlags) {
    if (name === 'eval') return;
    for (let k = 1; k < a.length; k++) {
      const x = a[k]!;
      if (codeFlags.includes(x)) {
        out.code.push({ language: 'other', interpreter: name, code: a[k + 1] ?? null, from: 'arg' });
        return;
      }
      const short = codeFlags.find(
        (f) =>
          f.length === 2 &&
          !x.startsWith('--') &&
          x.startsWith('-') &&
          x.length > 2 &&
          (x.startsWith(f) || new RegExp(`^-[a-zA-Z]+${f[1]}$`).test(x)),
      );
      if (short) {
        const fused = x.startsWith(short) ? x.slice(2) : '';
        out.code.push({
          language: 'other',
          interpreter: name,
          code: fused || (a[k + 1] ?? null),
          from: 'arg',
        });
        return;
      }
    }
    const m = a.indexOf('-m');
    if (/^python/.test(name) && m > 0) {
      out.wrappers.push(`${name} -m`);
      out.argv = a.slice(m + 1);
      return;
    }
    const first = a.slice(1).find((x) => !x.startsWith('-'));
    if (first === undefined || first === '-' || a.includes('-') || STDIN_FILES.test(first))
      out.code.push({ language: 'other', interpreter: name, code: null, from: 'stdin' });
    else out.script = first;
    return;
  }
  if (name === 'trap') {
    const handler = a.slice(1).find((x) => !x.startsWith('-'));
    if (handler !== undefined && a.length > 2)
      out.code.push({ language: 'shell', interpreter: 'trap', code: handler, from: 'arg' });
  } else if (name === 'eval')
    out.code.push({ language: 'shell', interpreter: 'eval', code: joinCode(a.slice(1)), from: 'arg' });
  else if ((name === 'source' || name === '.') && STDIN_FILES.test(a[1] ?? ''))
    out.code.push({ language: 'shell', interpreter: name, code: null, from: 'stdin' });
  else if (name === 'source' || name === '.') out.script = a[1];
}

/** Files that are standard input in disguise. */
const STDIN_FILES = /^(\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/;

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

function joinCode(words: string[]): string | null {
  return words.length ? words.join(' ') : null;
}
