import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { PolicyContext } from '../compiled-rules.js';
import { decide, type PolicyDecision } from '../decision.js';
import { checkPath, isInside } from '../path/check-path.js';
import { withOverride } from '../security-rules.js';
import { DYNAMIC } from './word-value.js';

/** Top-level directories whose removal or rewrite destroys the system. */
const SYSTEM_DIRS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib32',
  '/lib64',
  '/opt',
  '/proc',
  '/root',
  '/sbin',
  '/srv',
  '/sys',
  '/usr',
  '/var',
  '/mnt',
  '/media',
  '/run',
  '/snap',
  '/Users',
  '/System',
  '/Applications',
]);

/**
 * Checks one path word of a shell command. Dynamic parts and globs are judged by their fixed
 * prefix (`/etc/$X` is outside for sure; `$DIR/x` is unknown → ask). Reads outside the project
 * ask only when the path exists, so patterns like `grep /api/users` stay allowed.
 */
export function shellPathCheck(
  word: string,
  write: boolean,
  cwd: string | null,
  ctx: PolicyContext,
): PolicyDecision {
  const cut = firstSpecial(word);
  const fixed = cut === -1 ? word : word.slice(0, cut);
  const exact = cut === -1;
  const anchored = fixed.startsWith('/') || fixed.startsWith('~');
  if (!anchored && cwd === null) {
    return decide(
      'ask',
      'default:unknown-directory',
      `"${shown(word)}" is relative to a directory only known at run time.`,
      shown(word),
    );
  }
  const base = cwd ?? ctx.projectRoot;
  if (!exact) {
    if (!write && fixed === '' && word.startsWith(DYNAMIC)) {
      return withOverride(
        decide(
          'ask',
          'default:dynamic-path',
          `The path "${shown(word)}" is only known at run time.`,
          shown(word),
        ),
        ctx.rules,
      );
    }
    const dir = fixed.endsWith('/') || fixed === '' ? fixed || '.' : dirname(fixed);
    const abs = resolveTilde(dir, base, ctx.home);
    if (isInside(abs, ctx.projectRoot)) {
      const inner = checkPath(
        dir,
        { write, outsideRead: 'ask' },
        {
          projectRoot: ctx.projectRoot,
          rules: ctx.rules,
          ignoredPaths: ctx.ignoredPaths,
          ralexCode: ctx.ralexCode,
          home: ctx.home,
          cwd: base,
        },
      );
      if (inner.decision === 'deny' || !word.includes(DYNAMIC)) return inner;
      return withOverride(
        decide(
          'ask',
          'default:dynamic-path',
          `The path "${shown(word)}" is only known at run time.`,
          shown(word),
        ),
        ctx.rules,
      );
    }
    if (write) {
      return decide(
        'deny',
        'hard:outside-project',
        `"${shown(word)}" can reach outside the project; commands may only write inside ${ctx.projectRoot}.`,
        shown(word),
      );
    }
    return withOverride(
      decide(
        'ask',
        'default:read-outside-project',
        `"${shown(word)}" reads outside the project.`,
        shown(word),
      ),
      ctx.rules,
    );
  }
  const d = checkPath(
    word,
    { write, outsideRead: 'ask' },
    {
      projectRoot: ctx.projectRoot,
      rules: ctx.rules,
      ignoredPaths: ctx.ignoredPaths,
      ralexCode: ctx.ralexCode,
      home: ctx.home,
      cwd: base,
    },
  );
  if (!write && d.rule === 'default:read-outside-project' && d.resolved && !existsSync(d.resolved)) {
    return decide(
      'allow',
      'default:not-a-file',
      `"${word}" does not name an existing file outside the project.`,
      word,
    );
  }
  return d;
}

/**
 * True when a delete/chmod/chown target is the system root, a system directory, the home
 * directory, the project root or one of its ancestors, or a glob over the contents of one
 * (`/*`, `~/*`, `*` at the project root, `.*` which reaches `..`).
 */
export function isCriticalTarget(word: string, cwd: string | null, ctx: PolicyContext): boolean {
  const cut = firstSpecial(word);
  let dir: string;
  if (cut === -1) dir = word;
  else {
    const fixed = word.slice(0, cut);
    if (fixed === '' && word[cut] === DYNAMIC) return false;
    if (fixed === '') dir = '.';
    else if (fixed === '.' || fixed.endsWith('/.')) dir = `${fixed}.`;
    else if (fixed.endsWith('/')) dir = fixed;
    else return false;
  }
  if (cwd === null && !dir.startsWith('/') && !dir.startsWith('~')) return false;
  const abs = resolveTilde(dir, cwd ?? ctx.projectRoot, ctx.home);
  return SYSTEM_DIRS.has(abs) || abs === ctx.home || isInside(ctx.projectRoot, abs);
}

function firstSpecial(word: string): number {
  const m = /[\u0000*?[]/.exec(word);
  return m ? m.index : -1;
}

function resolveTilde(p: string, base: string, home: string): string {
  const q = p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
  return isAbsolute(q) ? resolve(q) : resolve(base, q);
}

function shown(word: string): string {
  return word.split(DYNAMIC).join('$…');
}
