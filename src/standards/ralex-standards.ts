import { join } from 'node:path';
import type { ReadGuard } from '../project/guarded-read.js';
import { markdownFiles, readStandard } from './read-standard.js';
import type { Standard } from './standard.js';

/**
 * The project's own standards for Ralex: `.ralex/standards/**\/*.md`, each with optional
 * frontmatter (`title`, `description`, `languages`, `frameworks`, `topics`, `intents`, `paths`,
 * `always`); without it, tags come from the file's name and folder.
 */
export async function ralexStandards(root: string, guard: ReadGuard, notes: string[]): Promise<Standard[]> {
  const dir = join(root, '.ralex', 'standards');
  const out: Standard[] = [];
  for (const f of await markdownFiles(dir)) {
    const s = await readStandard(join(dir, f), `.ralex/standards/${f}`, 'ralex', f, guard, notes);
    if (s) out.push(s);
  }
  return out;
}
