import picomatch from 'picomatch';

/** A compiled command pattern: test it against a simple command's words. */
export type CommandMatcher = (argv: readonly string[]) => boolean;

const cache = new Map<string, CommandMatcher>();
/** Word globs: `*` also spans `/`, since words are not paths (`--opt=*`, `+*!*`). */
const WORD_GLOB = { dot: true, bash: true };

/**
 * Compiles a token pattern such as `git push`, `npm {install,i,add}`, `rm -r`, `docker compose up`.
 * The first token is a glob on the program's base name. Other tokens are globs that must match,
 * in order, a subsequence of the positional words (those not starting with `-`); a flag token
 * must appear anywhere: `-r` also matches a cluster such as `-rf`, `--force` also `--force=...`.
 * For git the first positional must be the subcommand (git's global options are stripped first).
 */
export function compileCommandPattern(pattern: string): CommandMatcher {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const [head = '', ...rest] = pattern.trim().split(/\s+/);
  const program = picomatch(head, { dot: true });
  const flags = rest.filter((t) => t.startsWith('-')).map(flagMatcher);
  const positionals = rest.filter((t) => !t.startsWith('-')).map((t) => picomatch(t, WORD_GLOB));
  const matcher: CommandMatcher = (argv) => {
    const name = argv[0];
    if (name === undefined || !program(baseName(name))) return false;
    for (const f of flags) if (!argv.some((a, i) => i > 0 && f(a))) return false;
    let k = 0;
    // git's global options are stripped before matching, so its first word is the subcommand:
    // `git push` must not match `git stash push` or `git commit -m push`.
    const anchored = baseName(name) === 'git';
    for (let i = 1; i < argv.length && k < positionals.length; i++) {
      const a = argv[i]!;
      if (a.startsWith('-')) continue;
      if (positionals[k]!(a)) k++;
      else if (k === 0 && anchored) return false;
    }
    return k === positionals.length;
  };
  cache.set(pattern, matcher);
  return matcher;
}

/** Compiles a regex rule: tested against the words joined by single spaces. */
export function compileCommandRegex(source: string): CommandMatcher {
  const key = `re:${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const re = new RegExp(source);
  const matcher: CommandMatcher = (argv) => re.test(argv.join(' '));
  cache.set(key, matcher);
  return matcher;
}

/** The program glob of a pattern (its first token), compiled: used to index rules by program. */
export function compileProgramGlob(pattern: string): (name: string) => boolean {
  return picomatch(pattern.trim().split(/\s+/)[0] ?? '', { dot: true });
}

/** The last path segment of a program name (`/usr/bin/rm` → `rm`). */
export function baseName(name: string): string {
  const i = name.lastIndexOf('/');
  return i === -1 ? name : name.slice(i + 1);
}

function flagMatcher(token: string): (arg: string) => boolean {
  if (/^-[a-zA-Z0-9]$/.test(token)) {
    const letter = token[1]!;
    return (a) => a === token || (/^-[a-zA-Z0-9]+$/.test(a) && a.includes(letter));
  }
  const glob = picomatch(token, WORD_GLOB);
  if (token.startsWith('--')) return (a) => a === token || a.startsWith(`${token}=`) || glob(a);
  return (a) => a === token || glob(a);
}
