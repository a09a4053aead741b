import { CODE_INTERPRETERS, SHELLS } from './program-catalog.js';
import type { Unwrapped } from './unwrap-command.js';

/** Files that are standard input in disguise. */
const STDIN_FILES = /^(\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/;

/**
 * Finds the code an interpreter runs: `bash -c CODE`, a shell reading stdin (`bash`, `bash -s`,
 * `bash /dev/stdin`), `python -c`/`node -e`/`perl -e` code, `python -m module` (which becomes the
 * command), a script file (`bash x.sh`, `python x.py`, `source x`), `eval` words, `trap` handlers.
 */
export function interpreterCode(a: string[], name: string, out: Unwrapped): void {
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

/** Joins words given to `eval`/`watch` into the code they run. */
export function joinCode(words: string[]): string | null {
  return words.length ? words.join(' ') : null;
}
