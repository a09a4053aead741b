import { join } from 'node:path';

/**
 * Ralex's own bookkeeping inside a project: its state (database, token, keys), memory, session
 * logs and caches. They record what happened, so a checkpoint never captures them, a rollback
 * never rolls them back, "what changed" does not list them and no commit of Ralex's carries them.
 * (`.ralex/config` is the user's and is committed like any file.)
 */
export const RALEX_BOOKKEEPING_DIRS = [
  '.ralex/state',
  '.ralex/context',
  '.ralex/sessions',
  '.ralex/cache',
] as const;

/**
 * Whether a project-relative POSIX path is inside Ralex's bookkeeping — at any depth, as
 * checkpoints and Ralex's `git add` leave it out (a nested project's `.ralex` too).
 */
export function isRalexBookkeeping(path: string): boolean {
  return RALEX_BOOKKEEPING_DIRS.some(
    (dir) =>
      path === dir || path.startsWith(`${dir}/`) || path.endsWith(`/${dir}`) || path.includes(`/${dir}/`),
  );
}

/** File name of `ralex serve`'s command socket inside `.ralex/state/`. */
export const RUN_SOCKET_NAME = 'run.sock';

/** Where everything of Ralex's lives inside a project (the seed's `.ralex` layout). */
export interface RalexPaths {
  root: string;
  ralexDir: string;
  contextDir: string;
  sessionsDir: string;
  cacheDir: string;
  configDir: string;
  /** Never synced, never writable by the agent: database, token, checkpoint metadata. */
  stateDir: string;
  database: string;
  tokenFile: string;
  /** The local socket `ralex serve` takes commands on from `ralex run` (mode 0600; see docs/run-socket.md). */
  runSocket: string;
  preferencesFile: string;
  securityRulesFile: string;
  workflowsFile: string;
}

/** The `.ralex` layout for a project root. */
export function ralexPaths(root: string): RalexPaths {
  const ralexDir = join(root, '.ralex');
  const configDir = join(ralexDir, 'config');
  const stateDir = join(ralexDir, 'state');
  return {
    root,
    ralexDir,
    contextDir: join(ralexDir, 'context'),
    sessionsDir: join(ralexDir, 'sessions'),
    cacheDir: join(ralexDir, 'cache'),
    configDir,
    stateDir,
    database: join(stateDir, 'ralex.db'),
    tokenFile: join(stateDir, 'token'),
    runSocket: join(stateDir, RUN_SOCKET_NAME),
    preferencesFile: join(configDir, 'preferences.yaml'),
    securityRulesFile: join(configDir, 'security_rules.yaml'),
    workflowsFile: join(configDir, 'workflows.yaml'),
  };
}
