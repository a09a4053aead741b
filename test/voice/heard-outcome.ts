/**
 * What Ralex does with one heard command, as the voice bench counts it: asked back, acted on
 * (rightly or not), with the safety failures the issue names — a harmful control word acted on
 * that was not said, and an auto-submit that was not asked for.
 */

import type { Intent, ParsedCommand, SpeechEvidence } from '../../src/command/parsed-command.js';
import { checkHeard, HARMFUL_INTENTS } from '../../src/pipeline/parse/heard-check.js';
import { parseCommand } from '../../src/pipeline/parse/parse-command.js';
import type { SampleCommand } from './sample-project.js';

/** One clip's outcome. */
export interface HeardOutcome {
  heard: string;
  intent: string;
  files: string[];
  /** Ralex asked "Did you say …?" instead of acting. */
  askedBack: boolean;
  /** Acted on without asking, and it was the command said (intent, files, auto-submit, message). */
  fullyRight: boolean;
  /** Acted on an undo/redo/push/commit/confirm that was not said (or a commit with another message). */
  harmful: boolean;
  /** Auto-submitted without asking, though no run-now ending was said. */
  falseAutoSubmit: boolean;
}

/** A parse function (the branch's `parseCommand`, or the baseline's own). */
export type Parse = (text: string, opts: { files: readonly string[] }) => ParsedCommand;

/** A heard check (the branch's `checkHeard`, or the baseline's own). */
export type Check = (parsed: ParsedCommand, speech: SpeechEvidence) => unknown;

/**
 * Judges a transcript against the command said; `speech` null: acted on as is (a recogniser
 * without certainty). `parse` and `check` default to this tree's parse stage and heard check.
 */
export function judgeHeard(
  command: SampleCommand,
  text: string,
  files: readonly string[],
  speech: SpeechEvidence | null,
  parse: Parse = parseCommand,
  check: Check = checkHeard,
): HeardOutcome {
  const parsed = parse(text, { files });
  const askedBack = speech ? (check(parsed, speech) ?? null) !== null : false;
  const sameFiles = JSON.stringify([...parsed.files].sort()) === JSON.stringify([...command.files].sort());
  const messageRight =
    command.message === undefined || normalise(parsed.args.message ?? '') === normalise(command.message);
  const right =
    parsed.intent === command.intent && sameFiles && parsed.autoSubmit === command.autoSubmit && messageRight;
  const harmfulIntent = HARMFUL_INTENTS.has(parsed.intent as Intent);
  const harmful =
    !askedBack &&
    harmfulIntent &&
    (parsed.intent !== command.intent || (parsed.intent === 'commit' && !messageRight));
  return {
    heard: text,
    intent: parsed.intent,
    files: parsed.files,
    askedBack,
    fullyRight: right && !askedBack,
    harmful,
    falseAutoSubmit: !askedBack && parsed.autoSubmit && !command.autoSubmit,
  };
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
