import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { RalexPaths } from '../project/ralex-paths.js';
import { yamlModule } from '../util/yaml-module.js';
import { configError, yamlSyntaxError } from './config-error.js';
import { type RalexEnv, readEnv } from './env.js';
import { type Preferences, PreferencesSchema } from './preferences-schema.js';
import { type Workflows, WorkflowsFileSchema } from './workflows-schema.js';

/** Everything configured for one project: preferences (validated) and the environment. */
export interface RalexConfig {
  preferences: Preferences;
  /** Named workflows from `.ralex/config/workflows.yaml` (empty without the file). */
  workflows: Workflows;
  env: RalexEnv;
  /** The preferences file read, or null when the project has none (defaults apply). */
  preferencesFile: string | null;
}

/** Loads and validates the project's configuration; throws `invalid_config` naming file, key and fix. */
export function loadConfig(paths: RalexPaths, env: NodeJS.ProcessEnv = process.env): RalexConfig {
  const present = existsSync(paths.preferencesFile);
  const preferences = present
    ? readYamlFile(paths.preferencesFile, PreferencesSchema)
    : PreferencesSchema.parse({});
  const workflows = existsSync(paths.workflowsFile)
    ? readYamlFile(paths.workflowsFile, WorkflowsFileSchema).workflows
    : {};
  return {
    preferences,
    workflows,
    env: readEnv(env),
    preferencesFile: present ? paths.preferencesFile : null,
  };
}

/** Reads a YAML file and validates it against a schema; an empty file counts as `{}`. */
export function readYamlFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  const yaml = yamlModule();
  try {
    raw = yaml.parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    if (error instanceof yaml.YAMLParseError) throw yamlSyntaxError(file, error.message);
    throw error;
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw configError(file, result.error.issues);
  return result.data;
}
