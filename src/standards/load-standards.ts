import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadGuard } from '../project/guarded-read.js';
import { agentOsStandards } from './agent-os-standards.js';
import { builtinStandards } from './builtin-standards.js';
import { claudeStandards } from './claude-rules.js';
import { ralexStandards } from './ralex-standards.js';
import type { LoadedStandards, Standard } from './standard.js';

/** Where standards are read from, and which sources are on (`standards` in preferences.yaml). */
export interface StandardsPlaces {
  /** The project root, resolved with realpath. */
  root: string;
  home: string;
  /** Whether the policy lets a project path be read (secrets never enter the prompt). */
  canRead(path: string): boolean;
  /** Agent OS v2 profile when the project names none. */
  profile: string;
  builtin: boolean;
  agentOs: boolean;
  claude: boolean;
}

/** Folders of the user's home standards are read from (nothing else of the home is). */
const HOME_DIRS = ['.agent-os', 'agent-os', join('.claude', 'rules')];

/**
 * Reads every standard the project and its user have, in a fixed order: `.ralex/standards`,
 * Agent OS (v3, v2, v1), Claude rules and CLAUDE.md imports, then Ralex's defaults. The same text
 * found twice (a profile copied into the project) is kept once.
 */
export async function loadStandards(at: StandardsPlaces): Promise<LoadedStandards> {
  const notes: string[] = [];
  const outside = (
    await Promise.all(HOME_DIRS.map((d) => realpath(join(at.home, d)).catch(() => null)))
  ).filter((d): d is string => d !== null);
  const guard: ReadGuard = { root: at.root, canRead: at.canRead, outside };
  const groups = await Promise.all([
    ralexStandards(at.root, guard, notes),
    at.agentOs ? agentOsStandards({ root: at.root, home: at.home, profile: at.profile }, guard, notes) : [],
    at.claude ? claudeStandards(at.root, at.home, guard, notes) : [],
  ]);
  const seen = new Set<string>();
  const standards: Standard[] = [];
  for (const s of [...groups.flat(), ...(at.builtin ? builtinStandards() : [])]) {
    const hash = createHash('sha256').update(s.content).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    standards.push(s);
  }
  return { standards, notes };
}
