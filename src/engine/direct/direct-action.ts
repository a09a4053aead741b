import type { CheckOutcome, CommandOutcome } from '../../command/command-result.js';
import type { CommandRun } from '../../command/command-run.js';
import type { ParsedCommand } from '../../command/parsed-command.js';
import type { Runtime } from '../../runtime.js';

/** What a direct action produced; the respond stage turns it into the command's result. */
export interface DirectOutcome {
  status?: CommandOutcome;
  reply: string;
  /** Short sentence to say aloud; derived from the reply when absent. */
  spoken?: string;
  files?: string[];
  filesChanged?: string[];
  diff?: string | null;
  checks?: CheckOutcome[];
}

/** A command that runs without a model: fast, free, and available before any provider is configured. */
export type DirectAction = (parsed: ParsedCommand, run: CommandRun, rt: Runtime) => Promise<DirectOutcome>;
