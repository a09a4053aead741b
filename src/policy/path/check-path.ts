import { lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { isSecretPath } from '../../project/secret-files.js';
import { decide, type PolicyDecision, strictest } from '../decision.js';
import { isRalexCode, type RalexCodeInProject } from '../ralex-code.js';
import { type SecurityRules, withOverride } from '../security-rules.js';
import { pathReadings } from './normalize-path-input.js';
import { resolveRealPath } from './resolve-real-path.js';

/** What a path check needs: the real project root, the home directory, the rules. */
export interface PathContext {
  /** Project root, already resolved with realpath. */
  projectRoot: string;
  rules: SecurityRules;
  home?: string;
  /** Directory relative paths start from; defaults to the project root. */
  cwd?: string;
  /** Entries of `rules.paths` that do not apply (loosening entries of an untrusted rules file). */
  ignoredPaths?: ReadonlySet<number>;
  /** The running Ralex's code inside the project (`ralexCodeIn`), which no agent tool writes. */
  ralexCode?: RalexCodeInProject;
}

/** Options of one path check. */
export interface PathCheckOptions {
  write: boolean;
  /** What reading outside the project gets: `deny` for agent tools (default), `ask` for shell arguments. */
  outsideRead?: 'deny' | 'ask';
}

/** A path decision plus the resolved absolute path and its project-relative form. */
export type PathDecision = PolicyDecision & { resolved?: string; relative?: string };

/** Paths outside the project that are always fine to read or write (`2>/dev/null`). */
const SPECIAL_DEVICES =
  /^\/dev\/(null|zero|stdin|stdout|stderr|tty|fd\/\d+|u?random)$|^\/proc\/self\/fd\/\d+$/;

/**
 * Decides whether a tool may read or write `path`. Every reading of the path (as written,
 * URL-decoded, `\` as `/`) is resolved with symlinks followed and must stay inside the project;
 * `.git` internals, `.ralex` and the running Ralex's own code are never written; secrets are
 * never written and are read only after approval. User path rules (last match wins) then the defaults decide the rest.
 */
export function checkPath(path: string, opts: PathCheckOptions, ctx: PathContext): PathDecision {
  const readings = pathReadings(path);
  if (!readings.ok) return decide('deny', readings.rule, readings.reason, path);
  const results = readings.readings.map((r) => checkReading(r, path, opts, ctx));
  return strictest(results) as PathDecision;
}

function checkReading(input: string, shown: string, opts: PathCheckOptions, ctx: PathContext): PathDecision {
  const home = ctx.home ?? homedir();
  const cwd = ctx.cwd ?? ctx.projectRoot;
  const root = ctx.projectRoot;
  let real: string;
  try {
    real = resolveRealPath(input, cwd, home);
  } catch (error) {
    return decide('deny', 'hard:symlink-loop', `${(error as Error).message}.`, shown);
  }
  const lexical = resolve(cwd, input.replace(/^~(?=\/|$)/, home));
  const verb = opts.write ? 'write' : 'read';
  if (SPECIAL_DEVICES.test(real) || SPECIAL_DEVICES.test(lexical)) {
    return {
      ...decide('allow', 'default:special-device', `${real} is a harmless device.`, shown),
      resolved: real,
    };
  }
  if (!isInside(real, root)) {
    if (opts.write && matchesAny(ctx.rules.writable_outside, real)) {
      return {
        ...decide('allow', 'user:writable_outside', `${real} is listed in writable_outside.`, shown),
        resolved: real,
      };
    }
    if (opts.write || (opts.outsideRead ?? 'deny') === 'deny') {
      const how = real === lexical ? '' : ` (it resolves to ${real})`;
      return {
        ...decide(
          'deny',
          'hard:outside-project',
          `"${shown}" is outside the project${how}; the agent may only ${verb} inside ${root}.`,
          shown,
        ),
        resolved: real,
      };
    }
    if (isSecretPath(real) || isSecretPath(lexical)) {
      const d = decide(
        'ask',
        'default:secret-read',
        `"${shown}" may hold secrets; reading it needs approval.`,
        shown,
      );
      return { ...withOverride(d, ctx.rules), resolved: real };
    }
    return {
      ...withOverride(
        decide(
          'ask',
          'default:read-outside-project',
          `Reading ${real} outside the project needs approval.`,
          shown,
        ),
        ctx.rules,
      ),
      resolved: real,
    };
  }
  const rel = relative(root, real).split(sep).join('/');
  const lexRel = isInside(lexical, root) ? relative(root, lexical).split(sep).join('/') : rel;
  const out: PathDecision[] = [];
  if (opts.write) {
    if (isGitInternal(rel) || isGitInternal(lexRel))
      out.push(
        decide(
          'deny',
          'hard:git-internals',
          `"${shown}" is inside .git; the agent never writes git internals.`,
          shown,
        ),
      );
    if (isRalexOwn(rel) || isRalexOwn(lexRel))
      out.push(
        decide(
          'deny',
          isRalexState(rel) || isRalexState(lexRel) ? 'hard:ralex-state' : 'hard:ralex-files',
          isRalexState(rel) || isRalexState(lexRel)
            ? `"${shown}" is in .ralex/state, which the agent never writes.`
            : `"${shown}" is one of Ralex's own files (config, security rules, memory); the agent never writes them.`,
          shown,
        ),
      );
    if (ctx.ralexCode && (isRalexCode(real, ctx.ralexCode) || isRalexCode(lexical, ctx.ralexCode)))
      out.push(
        decide(
          'deny',
          'hard:ralex-code',
          `"${shown}" is code the running Ralex loads (its build or its packages); Ralex runs it outside the sandbox, so the agent never writes it.`,
          shown,
        ),
      );
    if (isSecretPath(rel) || isSecretPath(lexRel))
      out.push(
        decide(
          'deny',
          'hard:secret-write',
          `"${shown}" holds secrets; the agent never writes secret files.`,
          shown,
        ),
      );
  }
  if (!opts.write && (isRalexState(rel) || isRalexState(lexRel)))
    out.push(
      decide(
        'deny',
        'hard:ralex-state',
        `"${shown}" is in .ralex/state (the token, the audit key, the database), which the agent never reads.`,
        shown,
      ),
    );
  const userRule = matchUserRule(rel, opts.write, ctx.rules, shown, ctx.ignoredPaths);
  if (userRule) out.push(userRule);
  else if (!opts.write && (isSecretPath(rel) || isSecretPath(lexRel))) {
    out.push(
      withOverride(
        decide(
          'ask',
          'default:secret-read',
          `"${shown}" may hold secrets; reading it needs approval.`,
          shown,
        ),
        ctx.rules,
      ),
    );
  }
  if (opts.write && out.length === 0 && hasOtherHardLinks(real)) {
    const d = decide(
      'ask',
      'default:hard-link',
      `"${shown}" is hard-linked elsewhere; writing it changes the other copies too.`,
      shown,
    );
    out.push(withOverride(d, ctx.rules));
  }
  const fallback = decide('allow', 'default:inside-project', `"${shown}" is inside the project.`, shown);
  return { ...strictest(out, fallback), resolved: real, relative: rel };
}

function matchUserRule(
  rel: string,
  write: boolean,
  rules: SecurityRules,
  shown: string,
  ignored?: ReadonlySet<number>,
): PolicyDecision | undefined {
  for (let i = rules.paths.length - 1; i >= 0; i--) {
    if (ignored?.has(i)) continue;
    const r = rules.paths[i]!;
    if (r.access !== 'any' && (r.access === 'write') !== write) continue;
    if (!globMatcher(r.glob)(rel)) continue;
    return decide(
      r.decision,
      `user:paths[${i}]`,
      r.reason ?? `Project rule "${r.glob}" (${r.access}) says ${r.decision}.`,
      shown,
    );
  }
  return undefined;
}

/** True when `p` is `root` or below it. */
export function isInside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

function isGitInternal(rel: string): boolean {
  return /(^|\/)\.git(\/|$)/i.test(rel);
}

/** Ralex's own files: config and security rules (an agent that rewrote them would free itself), memory, state. */
function isRalexOwn(rel: string): boolean {
  return /^\.ralex(\/|$)/i.test(rel);
}

function isRalexState(rel: string): boolean {
  return /^\.ralex\/state(\/|$)/i.test(rel);
}

const globCache = new Map<string, (p: string) => boolean>();

/** A compiled picomatch glob, compiled once per glob text. */
function globMatcher(glob: string): (p: string) => boolean {
  let m = globCache.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true });
    globCache.set(glob, m);
  }
  return m;
}

/** True for an existing regular file with more than one link: a write would reach the other names too. */
function hasOtherHardLinks(p: string): boolean {
  try {
    const st = lstatSync(p, { throwIfNoEntry: false });
    return st?.isFile() === true && st.nlink > 1;
  } catch {
    return false;
  }
}

function matchesAny(globs: string[], p: string): boolean {
  return globs.some((g) => globMatcher(g)(p));
}
