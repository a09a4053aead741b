import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PREFERENCES_YAML } from '../../config/default-preferences.js';
import { DEFAULT_WORKFLOWS_YAML } from '../../config/workflows-schema.js';
import { gitExec } from '../../git/git-exec.js';
import { findProject } from '../../project/open-project.js';
import { ralexPaths } from '../../project/ralex-paths.js';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

const GITIGNORE_LINE = '.ralex/state/';

/**
 * `ralex init`: makes the directory a git repository if it is not one, writes a commented
 * default `.ralex/config/preferences.yaml` (never overwriting one), creates the `.ralex`
 * layout, and keeps `.ralex/state/` out of git. Safe to run again.
 */
export function registerInitCommand(program: Command): void {
  withProjectOption(
    program
      .command('init')
      .description('set up Ralex in a project (git init if needed, default config)')
      .option('--json', 'print what was done as JSON'),
  ).action(
    action(async (options: { project: string; json?: boolean }) => {
      const done: string[] = [];
      const info = await findProject(options.project);
      if (!info.isGitRepo) {
        await gitExec(info.root, ['init', '-q']);
        done.push('initialised a git repository');
      }
      const paths = ralexPaths(info.root);
      for (const dir of [
        paths.configDir,
        paths.contextDir,
        paths.sessionsDir,
        paths.cacheDir,
        paths.stateDir,
      ]) {
        mkdirSync(dir, { recursive: true });
      }
      for (const [file, text] of [
        [paths.preferencesFile, DEFAULT_PREFERENCES_YAML],
        [paths.workflowsFile, DEFAULT_WORKFLOWS_YAML],
      ] as const) {
        if (existsSync(file)) continue;
        writeFileSync(file, text);
        done.push(`wrote ${file.slice(info.root.length + 1)}`);
      }
      const gitignore = join(info.root, '.gitignore');
      const current = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
      if (
        !current.split('\n').some((line) => line.trim() === GITIGNORE_LINE || line.trim() === '.ralex/state')
      ) {
        writeFileSync(
          gitignore,
          `${current}${current && !current.endsWith('\n') ? '\n' : ''}# Ralex: database, token, checkpoints (never committed)\n${GITIGNORE_LINE}\n`,
        );
        done.push('added .ralex/state/ to .gitignore');
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ project: info.root, done })}\n`);
      } else {
        process.stdout.write(
          done.length
            ? `Ralex is set up in ${info.root}:\n${done.map((d) => `  - ${d}`).join('\n')}\nNext: ralex serve  (or: ralex run "what changed")\n`
            : `Ralex was already set up in ${info.root}; nothing changed.\n`,
        );
      }
    }),
  );
}
