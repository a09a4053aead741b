import { SECRET_GLOBS } from '../project/secret-files.js';
import { expandBraces } from './shell/expand-braces.js';

const MAX_PER_PATTERN = 256;

/**
 * Concrete words a glob matches, per brace alternative: `*` as nothing and as `x` (alone: `x`),
 * `?` as `x`, a class such as `[2-7]` as its first character.
 */
export function globSamples(glob: string): string[] {
  const out = new Set<string>();
  for (const w of expandBraces(glob, 64)) {
    const concrete = w.replace(/\[!?\^?(.)[^\]]*\]/g, '$1').replace(/\?/g, 'x');
    if (/^\*+$/.test(concrete)) out.add('x');
    else {
      out.add(concrete.replace(/\*+/g, ''));
      out.add(concrete.replace(/\*+/g, 'x'));
    }
  }
  return [...out];
}

/** Concrete command lines a token pattern (`git push`, `npm {install,i}`) matches, as argv. */
export function patternSamples(pattern: string): string[][] {
  let out: string[][] = [[]];
  for (const token of pattern.trim().split(/\s+/)) {
    const words = globSamples(token);
    const next: string[][] = [];
    for (const argv of out) for (const w of words) if (next.length < MAX_PER_PATTERN) next.push([...argv, w]);
    out = next;
  }
  return out.filter((a) => a.length > 0 && a[0] !== '');
}

let secretSamples: string[] | undefined;

/** Project-relative paths that hold secrets (`.env`, `a/.env.x`, `id_rsa`, `.aws/credentials`, ...). */
export function secretPathSamples(): readonly string[] {
  secretSamples ??= SECRET_GLOBS.flatMap((g) =>
    globSamples(g.replace(/^\*\*\//, '')).flatMap((p) => {
      const file = p.endsWith('/') ? `${p}x` : p.replace(/\/\*\*$/, '/x').replace(/\/$/, '/x');
      return [file, `a/${file}`, `a/b/${file}`];
    }),
  );
  return secretSamples;
}
