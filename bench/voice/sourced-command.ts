import type { SampleCommand } from '../../test/voice/sample-project.js';

/** A spoken command of an evaluation set, with the tag of the source its wording comes from. */
export type SourcedCommand = SampleCommand & { source: string };

/** One evaluation command: what is said, what it must parse to, and where the wording comes from. */
export function sourced(
  source: string,
  say: string,
  intent: string,
  files: string[] = [],
  autoSubmit = false,
  message?: string,
): SourcedCommand {
  return { source, say, intent, files, autoSubmit, ...(message ? { message } : {}) };
}
