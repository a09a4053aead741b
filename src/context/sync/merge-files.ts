import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitExec } from '../../git/git-exec.js';

/** One file's three-way merge: the text, and whether both sides changed the same lines. */
export interface FileMerge {
  text: string;
  conflict: boolean;
}

/** Files that only grow (the conversation history, session logs): both sides' new lines are kept, no conflict. */
export function isAppendOnly(path: string): boolean {
  return path === 'context/conversation_history.md' || path.startsWith('sessions/');
}

/**
 * Merges one file changed on two devices, line by line (`git merge-file`). Where both changed
 * the same lines, both versions are kept side by side between conflict markers and the file is
 * flagged at the top — nothing is lost. Append-only files keep both sides' lines (union).
 */
export async function mergeFile(
  root: string,
  path: string,
  base: string,
  ours: string,
  theirs: string,
  at: Date,
): Promise<FileMerge> {
  const dir = await mkdtemp(join(tmpdir(), 'ralex-merge-'));
  try {
    const files = ['ours', 'base', 'theirs'].map((n) => join(dir, n));
    await Promise.all([writeFile(files[0]!, ours), writeFile(files[1]!, base), writeFile(files[2]!, theirs)]);
    const union = isAppendOnly(path) ? ['--union'] : ['--diff3'];
    // Exit code = number of conflicts (0–127); above that git failed.
    const raw = await gitExec(
      root,
      [
        'merge-file',
        '-p',
        ...union,
        '-L',
        'this device',
        '-L',
        'last synced',
        '-L',
        'other device',
        ...files,
      ],
      { allowExitCodes: Array.from({ length: 127 }, (_, i) => i + 1) },
    );
    const text = keepBothAdditions(raw);
    const conflict = /^<{7} this device$/m.test(text);
    if (!conflict) return { text, conflict };
    const flag = `<!-- ralex: SYNC CONFLICT (${at.toISOString().slice(0, 16).replace('T', ' ')}): this file was changed on two devices at the same lines. Both versions are kept below between <<<<<<< and >>>>>>>; keep what you want and delete the markers. -->\n`;
    return { text: flag + text, conflict };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const BLOCK =
  /^<{7} this device\n([\s\S]*?)^\|{7} last synced\n([\s\S]*?)^={7}\n([\s\S]*?)^>{7} other device\n/gm;

/**
 * Both devices added entries at the same place (the end of a list, most often): not a conflict —
 * both additions are kept, this device's first. Blocks where an existing line was changed on
 * both sides stay as conflicts.
 */
function keepBothAdditions(text: string): string {
  return text.replace(BLOCK, (block, ours: string, base: string, theirs: string) => {
    if (base.trim() !== '') return block;
    const seen = new Set(ours.split('\n'));
    const extra = theirs.split('\n').filter((l) => l === '' || !seen.has(l));
    return ours + extra.join('\n');
  });
}
