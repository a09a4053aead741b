import type { HistoryCommit } from '../rank/git-history.js';
import { isMemorablePath } from './secret-guard.js';

/** Pairs listed, strongest first. */
const MAX_PAIRS = 25;
const MAX_COMMIT_FILES = 20;

/**
 * `file_relationships.md`: files that change together in the project's history (pairs seen in
 * at least two small commits), and which files use which (from the symbol index). Secret files
 * are never named.
 */
export function describeRelationships(
  commits: readonly HistoryCommit[],
  uses: readonly { from: string; to: string[] }[],
): string {
  const pairs = new Map<string, number>();
  for (const c of commits) {
    const files = c.files.filter(isMemorablePath);
    if (files.length < 2 || files.length > MAX_COMMIT_FILES) continue;
    for (let i = 0; i < files.length; i++) {
      for (let j = i + 1; j < files.length; j++) {
        const key = [files[i]!, files[j]!].sort().join('\0');
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  const lines = ['## Change together', ''];
  const strong = [...pairs]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_PAIRS);
  for (const [key, n] of strong) {
    const [a, b] = key.split('\0');
    lines.push(`- \`${a}\` and \`${b}\`: ${n} commits`);
  }
  if (strong.length === 0) lines.push('- not enough history yet');
  lines.push('', '## Uses', '');
  const shown = uses.filter((u) => isMemorablePath(u.from) && u.to.length > 0);
  for (const u of shown)
    lines.push(
      `- \`${u.from}\` uses ${u.to
        .filter(isMemorablePath)
        .map((t) => `\`${t}\``)
        .join(', ')}`,
    );
  if (shown.length === 0) lines.push('- no links between files found yet');
  return `${lines.join('\n')}\n`;
}
