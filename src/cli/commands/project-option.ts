import type { Command } from 'commander';

/** Adds the `--project DIR` option every project command shares. */
export function withProjectOption(command: Command): Command {
  return command.option('--project <dir>', 'the project (a git repository) to work in', process.cwd());
}
