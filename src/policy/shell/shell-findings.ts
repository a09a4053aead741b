import type { PolicyDecision } from '../decision.js';

/** The verdict on one simple command inside a shell line. */
export interface ShellCommandReport {
  text: string;
  argv: string[];
  decision: PolicyDecision;
}

/** Everything decided about a shell line: all decisions that applied, per-command reports, and flags. */
export interface ShellFindings {
  decisions: PolicyDecision[];
  commands: ShellCommandReport[];
  network: boolean;
  secretRead: boolean;
}

/** Analyses nested shell code (one level deeper) where it runs: given as a callback to avoid an import cycle. */
export type AnalyzeNested = (source: string, cwd: string | null) => ShellFindings;
