import { z } from 'zod';

/** Where a standard comes from: Ralex's defaults, the project's or the user's Agent OS, Claude-style rules. */
export const StandardOriginSchema = z.enum([
  'builtin',
  'ralex',
  'agent-os-v1',
  'agent-os-v2',
  'agent-os-v3',
  'claude-rules',
  'claude-import',
]);
/** One origin of standards. */
export type StandardOrigin = z.infer<typeof StandardOriginSchema>;

/** A coding standard as Ralex reads it: what it is about, where it applies, and its text. */
export const StandardSchema = z.object({
  /** Stable id: origin and path, e.g. `agent-os-v3:api/error-handling.md`, `builtin:testing`. */
  id: z.string(),
  title: z.string(),
  /** One line for matching (Agent OS `index.yml`, frontmatter `description`, or the first line). */
  description: z.string(),
  /** Where the text lives: a project path, a home path (`~/…`), or `builtin:<name>`. */
  source: z.string(),
  origin: StandardOriginSchema,
  /** Languages it is for (`typescript`, `python`, …); empty: any. */
  languages: z.array(z.string()),
  /** Libraries and frameworks it is for, as named in manifests (`react`, `django`); empty: any. */
  frameworks: z.array(z.string()),
  /** What it is about: `testing`, `error-handling`, `security`, `style`, `api`, … */
  topics: z.array(z.string()),
  /** Intents it is for (`fix_bug`, `test`, …); empty: any. */
  intents: z.array(z.string()),
  /** Globs of project files it applies to (Claude rules' `paths`); empty: not scoped by path. */
  paths: z.array(z.string()),
  /** Applies to every request (a Claude rule without `paths`, a CLAUDE.md import, `always: true`). */
  always: z.boolean(),
  content: z.string(),
});
/** A coding standard. */
export type Standard = z.infer<typeof StandardSchema>;

/** A standard chosen for a request, with its score and why. */
export interface SelectedStandard {
  standard: Standard;
  score: number;
  reasons: string[];
}

/** Standards read from every source, with what could not be read and why. */
export interface LoadedStandards {
  standards: Standard[];
  notes: string[];
}
