import { baseName } from '../command-pattern.js';
import type { InlineCode } from './unwrap-command.js';

/** Git configuration keys whose value git runs as a shell command (or a `!` alias / helper). */
const GIT_CODE_KEYS =
  /^(core\.(pager|editor|sshcommand|fsmonitor|askpass)|sequence\.editor|diff\.external|pager\.[a-z-]+|alias\.[^=]+|credential\.helper|gpg\.program|interactive\.difffilter|(diff|merge|filter)\.[^.]+\.(textconv|command|driver|clean|smudge|process))$/i;

/** Environment variables whose value a program runs as a shell command. */
const CODE_VARIABLES =
  /^(GIT_SSH_COMMAND|GIT_PAGER|GIT_EDITOR|GIT_SEQUENCE_EDITOR|PAGER|EDITOR|VISUAL|MANPAGER|PROMPT_COMMAND|LESSOPEN|LESSCLOSE|SSH_ASKPASS|GIT_ASKPASS|BROWSER)$/;

/** A literal string given to a function that runs it as a shell command, in another language's inline code. */
const SYSTEM_CALL =
  /\b(?:os\.system|system|exec|execSync|spawnSync|os\.execute|os\.popen|popen|shell_exec|passthru|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput))\s*\(\s*(?:\[\s*)?(["'])((?:(?!\1)[^\\]|\\.)*)\1/g;

const shell = (interpreter: string, code: string): InlineCode => ({
  language: 'shell',
  interpreter,
  code,
  from: 'arg',
});

/**
 * Shell code written into a command's options or configuration rather than given to a shell:
 * `git -c core.pager=CODE`, `git config alias.x '!CODE'`, `git rebase -x CODE`, `git submodule
 * foreach CODE`, `git grep -OCODE`, `man -P CODE`, `less +!CODE`, `make SHELL=CODE`, `zip -TT CODE`,
 * `tar --to-command=CODE`, `sqlite3 .shell CODE`, sed's `e CODE`, awk's `system("CODE")` and the
 * `system("CODE")`-style calls of other languages' inline code. The option itself is asked by the
 * rules; this code is analysed too, so what it would run is judged like any other command.
 */
export function embeddedCode(argv: readonly string[], inline: readonly InlineCode[] = []): InlineCode[] {
  const name = baseName(argv[0] ?? '');
  const args = argv.slice(1);
  const out: InlineCode[] = [];
  const after = (flags: RegExp) =>
    args.forEach((a, i) => {
      const m = flags.exec(a);
      if (!m) return;
      const inline = m.slice(1).find((g) => g !== undefined && g !== '');
      const value = inline ?? (a.includes('=') ? undefined : args[i + 1]);
      if (value) out.push(shell(`${name} ${a.replace(/=.*$/, '')}`, value));
    });
  if (name === 'git') out.push(...gitCode(args));
  else if (name === 'man') after(/^(?:-P|--pager(?:=(.*))?)$/);
  else if (name === 'less' || name === 'more') {
    for (const a of args) if (/^\+.*!/.test(a)) out.push(shell(name, a.slice(a.indexOf('!') + 1)));
  } else if (name === 'make' || name === 'gmake') {
    for (const a of args) if (/^SHELL=/.test(a)) out.push(shell(`${name} SHELL`, a.slice(6)));
  } else if (name === 'zip') after(/^(?:-TT|--unzip-command(?:=(.*))?)$/);
  else if (name === 'tar') {
    after(/^(?:--to-command(?:=(.*))?|--use-compress-program(?:=(.*))?|-I)$/);
    for (const a of args) {
      const m = /^--checkpoint-action=exec=(.*)$/.exec(a);
      if (m) out.push(shell('tar --checkpoint-action', m[1]!));
    }
  } else if (name === 'rsync') after(/^(?:-e|--rsh(?:=(.*))?)$/);
  else if (name === 'sqlite3') {
    for (const a of args) {
      for (const m of a.matchAll(/(?:^|\n|;)\s*\.(?:shell|system)\s+([^\n]*)/g))
        out.push(shell('sqlite3 .shell', m[1]!));
    }
  } else if (name === 'sed') {
    for (const a of args)
      for (const m of a.matchAll(
        /(?:^|[;\n{])\s*(?:\d+|\$|\/[^/]*\/)?(?:,(?:\d+|\$|\/[^/]*\/))?\s*e\s+([^;\n}]+)/g,
      ))
        out.push(shell('sed e', m[1]!));
  } else if (/^[gmn]?awk$/.test(name)) {
    for (const a of args)
      for (const m of a.matchAll(/\bsystem\s*\(\s*"((?:[^"\\]|\\.)*)"/g))
        out.push(shell('awk system()', m[1]!));
  }
  for (const c of inline) {
    if (c.language !== 'other' || c.code === null) continue;
    for (const m of c.code.matchAll(SYSTEM_CALL)) out.push(shell(`${c.interpreter} system()`, m[2]!));
  }
  return out;
}

/** Code in `git -c KEY=CODE`, `git config KEY CODE`, `git rebase -x CODE`, `git submodule foreach CODE`, `git grep -OCODE`. */
function gitCode(args: readonly string[]): InlineCode[] {
  const out: InlineCode[] = [];
  const value = (key: string, v: string) => {
    if (GIT_CODE_KEYS.test(key)) out.push(shell(`git ${key}`, v.replace(/^!/, '')));
  };
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    if (args[i] === '-c' && args[i + 1] !== undefined) {
      const kv = args[++i]!;
      const eq = kv.indexOf('=');
      if (eq > 0) value(kv.slice(0, eq), kv.slice(eq + 1));
    } else if (/^(-C|--git-dir|--work-tree|--namespace|--exec-path|--config-env)$/.test(args[i]!)) i++;
  }
  const [sub, ...rest] = args.slice(i);
  if (sub === 'config') {
    const positionals = rest.filter((a) => !a.startsWith('-'));
    if (positionals.length >= 2) value(positionals[0]!, positionals[1]!);
  } else if (sub === 'rebase') {
    rest.forEach((a, k) => {
      if ((a === '-x' || a === '--exec') && rest[k + 1]) out.push(shell('git rebase --exec', rest[k + 1]!));
      else if (a.startsWith('--exec=')) out.push(shell('git rebase --exec', a.slice(7)));
    });
  } else if (sub === 'submodule' && rest[0] === 'foreach') {
    const code = rest.slice(1).filter((a) => a !== '--recursive' && a !== '-q' && a !== '--quiet');
    if (code.length) out.push(shell('git submodule foreach', code.join(' ')));
  } else if (sub === 'grep') {
    for (const a of rest) {
      const m = /^(?:-O|--open-files-in-pager=)(.+)$/.exec(a);
      if (m) out.push(shell('git grep -O', m[1]!));
    }
  } else if (sub === 'bisect' && rest[0] === 'run' && rest.length > 1) {
    out.push(shell('git bisect run', rest.slice(1).join(' ')));
  }
  return out;
}

/** Shell code in environment assignments (`EDITOR=CODE git commit`, `GIT_SSH_COMMAND=CODE git fetch`). */
export function environmentCode(env: readonly { name: string; value: string }[]): InlineCode[] {
  return env
    .filter((e) => CODE_VARIABLES.test(e.name) && e.value.trim() !== '')
    .map((e) =>
      shell(e.name, e.name === 'LESSOPEN' ? e.value.replace(/^\|+/, '').replace(/%s/g, 'x') : e.value),
    );
}
