import { join } from 'node:path';

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
    preferencesFile: join(configDir, 'preferences.yaml'),
    securityRulesFile: join(configDir, 'security_rules.yaml'),
    workflowsFile: join(configDir, 'workflows.yaml'),
  };
}
