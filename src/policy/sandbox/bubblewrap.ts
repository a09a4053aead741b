import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { limitedShellArgv } from './limited-shell.js';
import { effectiveLimits, type ResolvedSandboxOptions } from './sandbox-options.js';

/** What `buildBubblewrapArgs` needs: the command, where it runs, and how it is sandboxed. */
export interface BubblewrapRequest {
  /** The shell command, run with `bash -c` inside the sandbox. */
  command: string;
  /** The working directory inside the sandbox (normally the project or a folder in it). */
  cwd: string;
  sandbox: ResolvedSandboxOptions;
  /** The bwrap executable (default `bwrap` from PATH). */
  bwrapPath?: string;
  /** The home directory whose credential folders are hidden (default `os.homedir()`). */
  home?: string;
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

/** Hides an existing path: an empty tmpfs over a folder, /dev/null over a file. */
const hide = (path: string): string[] => {
  try {
    return statSync(path).isDirectory() ? ['--tmpfs', path] : ['--ro-bind', '/dev/null', path];
  } catch {
    return [];
  }
};

/**
 * Builds the bwrap command line: the whole file system read-only, the project (and any extra
 * writable paths) bound writable, fresh /dev and /proc, private /tmp, /var/tmp and /run (so
 * host sockets such as docker.sock or the D-Bus system bus are out of reach), credential
 * folders and `.ralex/state` hidden, every namespace unshared (network too unless allowed),
 * a new session (no TIOCSTI into the terminal), death with the parent, and resource limits.
 * Binds only onto paths that exist.
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
  const home = realOrNull(request.home ?? homedir());
  if (home && home !== '/') {
    for (const rel of sandbox.hiddenHomePaths) args.push(...hide(join(home, rel)));
  }
  const project = realOrNull(sandbox.projectDir) ?? sandbox.projectDir;
  const writable = [project, ...sandbox.writablePaths.filter(isAbsolute).map(realOrNull)];
  for (const path of writable) if (path && existsSync(path)) args.push('--bind', path, path);
  for (const rel of sandbox.hiddenProjectPaths) {
    const target = join(project, rel);
    if (target.startsWith(project + sep)) args.push(...hide(target));
  }
  args.push('--chdir', realOrNull(request.cwd) ?? request.cwd, '--setenv', 'RALEX_SANDBOX', 'bubblewrap');
  args.push('--', ...limitedShellArgv(request.command, effectiveLimits(sandbox)));
  return { file: request.bwrapPath ?? 'bwrap', args };
}
