import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve, sep } from 'node:path';
import { NODE_MODULES_CACHES, ralexCodeIn } from '../ralex-code.js';
import { limitedShellArgv } from './limited-shell.js';
import { findProjectSecrets } from './project-secrets.js';
import { effectiveLimits, type ResolvedSandboxOptions } from './sandbox-options.js';
import { emptyStandIn, sanitizedGitConfig } from './stand-in-files.js';

/** What `buildBubblewrapArgs` needs: the command, where it runs, and how it is sandboxed. */
export interface BubblewrapRequest {
  /** The shell command, run with `bash -c` inside the sandbox. */
  command: string;
  /** The working directory inside the sandbox (normally the project or a folder in it). */
  cwd: string;
  sandbox: ResolvedSandboxOptions;
  /** The bwrap executable (default `bwrap` from PATH). */
  bwrapPath?: string;
  /** The user's home directory, hidden but for its toolchain folders (default `os.homedir()`). */
  home?: string;
  /** The PATH the command gets; its folders under the home stay readable (default `process.env.PATH`). */
  path?: string;
}

const realOrNull = (path: string): string | null => {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
};

const isRealDir = (path: string): boolean => {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Hides an existing path: an empty tmpfs over a folder, an empty read-only file over a file. */
const hide = (path: string): string[] => {
  try {
    return statSync(path).isDirectory() ? ['--tmpfs', path] : ['--ro-bind', emptyStandIn(), path];
  } catch {
    return [];
  }
};

const isFile = (path: string): boolean => {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
};

/** Whether `path` is `dir` or inside it. */
const within = (dir: string, path: string): boolean => path === dir || path.startsWith(dir + sep);

/**
 * The folders whose contents must stay read-only inside the writable project: `.git` and
 * `.ralex` (created first if missing, so a command cannot plant them), and the git dir a `.git`
 * file points to (a worktree or submodule) when it lies inside the project.
 */
function protectedPaths(project: string, relPaths: readonly string[]): string[] {
  const paths: string[] = [];
  for (const rel of relPaths) {
    const target = join(project, rel);
    if (!within(project, target) || target === project) continue;
    if (rel === '.ralex' && !existsSync(target)) mkdirSync(target, { recursive: true });
    if (existsSync(target)) paths.push(target);
  }
  const dotGit = join(project, '.git');
  try {
    if (lstatSync(dotGit).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      const gitDir = pointer ? realOrNull(resolve(project, pointer)) : null;
      if (gitDir && within(project, gitDir)) paths.push(gitDir);
      const common = gitDir ? readFileOrNull(join(gitDir, 'commondir'))?.trim() : undefined;
      const commonDir = gitDir && common ? realOrNull(resolve(gitDir, common)) : null;
      if (commonDir && within(project, commonDir)) paths.push(commonDir);
    }
  } catch {
    // no .git at all: nothing more to protect
  }
  return paths;
}

const readFileOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/**
 * The home directories, emptied: the user's own, `/home` and `/root`, each behind a tmpfs, then
 * the allow-listed toolchain folders (and PATH folders) of the user's home bound back read-only,
 * with credential files inside them hidden again. HOME keeps its path, so tools that look there
 * find an empty, writable, throw-away home.
 */
function homeArgs(request: BubblewrapRequest): string[] {
  const { sandbox } = request;
  const home = realOrNull(request.home ?? sandbox.home ?? homedir());
  const args: string[] = [];
  if (!sandbox.hideHome) {
    if (home && home !== '/') for (const rel of sandbox.hiddenHomePaths) args.push(...hide(join(home, rel)));
    return args;
  }
  // A project inside a home is bound again afterwards (later mounts win), so it stays visible.
  const roots = ['/home', '/root'].filter(isRealDir);
  if (home && home !== '/' && !roots.some((root) => within(root, home))) roots.push(home);
  for (const root of roots) args.push('--tmpfs', root);
  if (!home || home === '/') return args;
  const readable = new Set(sandbox.homeReadable.map((rel) => join(home, rel)));
  for (const dir of (request.path ?? process.env.PATH ?? '').split(delimiter)) {
    if (dir && isAbsolute(dir)) readable.add(dir);
  }
  const bound: string[] = [];
  for (const path of readable) {
    const real = realOrNull(path);
    if (real && real !== home && within(home, real)) bound.push(real);
  }
  for (const path of bound) args.push('--ro-bind', path, path);
  for (const rel of sandbox.hiddenHomePaths) {
    const secret = join(home, rel);
    if (bound.some((dir) => within(dir, secret))) args.push(...hide(secret));
  }
  return args;
}

/**
 * The running Ralex's code inside the project (its checkout, or the project's `node_modules`
 * when Ralex is installed there): each `node_modules` it loads from read-only but for the test
 * runners' caches in it, and a checkout's `dist/` behind an empty tmpfs, so the project's own
 * build runs but never changes what Ralex runs on the host.
 */
function ralexCodeArgs(project: string, installs: readonly string[] | undefined): string[] {
  const code = ralexCodeIn(project, installs);
  const args: string[] = [];
  for (const dir of code.readOnly) {
    const real = realOrNull(dir);
    if (!real || !within(project, real) || !statSync(real).isDirectory()) continue;
    args.push('--ro-bind', real, real);
    for (const name of NODE_MODULES_CACHES) {
      const cache = join(real, name);
      if (!existsSync(cache)) mkdirSync(cache);
      if (isRealDir(cache)) args.push('--bind', cache, cache);
    }
  }
  for (const dir of code.throwaway) {
    const real = realOrNull(dir);
    if (real && within(project, real) && statSync(real).isDirectory()) args.push('--tmpfs', real);
  }
  return args;
}

/**
 * Builds the bwrap command line: the whole file system read-only, the home directories empty
 * but for read-only toolchain folders, the project (and any extra writable paths) bound
 * writable with `.git`, `.ralex` and the running Ralex's own code inside it read-only and
 * `.ralex/state` hidden, fresh /dev
 * and /proc, private /tmp, /var/tmp and /run (so host sockets such as docker.sock or the D-Bus
 * system bus are out of reach), every namespace unshared (network too unless allowed), a new
 * session (no TIOCSTI into the terminal), death with the parent, and resource limits. Binds
 * only onto paths that exist.
 */
export function buildBubblewrapArgs(request: BubblewrapRequest): { file: string; args: string[] } {
  const { sandbox } = request;
  const args: string[] = ['--unshare-all'];
  if (sandbox.allowNetwork) args.push('--share-net');
  args.push('--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  args.push('--tmpfs', '/tmp');
  for (const dir of ['/var/tmp', '/run']) if (isRealDir(dir)) args.push('--tmpfs', dir);
  if (sandbox.allowNetwork) {
    // /etc/resolv.conf is often a symlink into /run (systemd-resolved); keep DNS working.
    const resolv = realOrNull('/etc/resolv.conf');
    if (
      resolv &&
      (resolv.startsWith('/run/') || resolv.startsWith('/tmp/') || resolv.startsWith('/var/tmp/'))
    ) {
      args.push('--ro-bind', resolv, resolv);
    }
  }
  for (const file of ['/etc/shadow', '/etc/gshadow']) args.push(...hide(file));
  const project = realOrNull(sandbox.projectDir) ?? sandbox.projectDir;
  args.push(...homeArgs(request));
  for (const path of sandbox.readablePaths.filter(isAbsolute).map(realOrNull))
    if (path && existsSync(path)) args.push('--ro-bind', path, path);
  const writable = [project, ...sandbox.writablePaths.filter(isAbsolute).map(realOrNull)];
  for (const path of writable) if (path && existsSync(path)) args.push('--bind', path, path);
  const guarded = protectedPaths(project, sandbox.protectedProjectPaths);
  for (const path of guarded) args.push('--ro-bind', path, path);
  // git inside the sandbox reads a config without remote URLs (tokens), helpers, aliases or hooks.
  for (const path of guarded) {
    const config = join(path, 'config');
    if (isFile(config) && isFile(join(path, 'HEAD')))
      args.push('--ro-bind', sanitizedGitConfig(config), config);
  }
  args.push(...ralexCodeArgs(project, sandbox.ralexInstalls));
  const hidden = [
    ...sandbox.hiddenProjectPaths,
    ...(sandbox.hideProjectSecrets ? findProjectSecrets(project, sandbox.visibleSecrets) : []),
  ];
  for (const rel of hidden) {
    const target = join(project, rel);
    if (target.startsWith(project + sep)) args.push(...hide(target));
  }
  args.push('--chdir', realOrNull(request.cwd) ?? request.cwd, '--setenv', 'RALEX_SANDBOX', 'bubblewrap');
  args.push('--', ...limitedShellArgv(request.command, effectiveLimits(sandbox)));
  return { file: request.bwrapPath ?? 'bwrap', args };
}
