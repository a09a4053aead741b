import { gitExec } from '../../git/git-exec.js';
import { isRalexBookkeeping } from '../../project/ralex-paths.js';
import type { DirectAction } from './direct-action.js';

const MAX_DIFF_BYTES = 200_000;
const STATUS_WORDS: Record<string, string> = {
  M: 'modified',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  '?': 'new',
  U: 'conflicted',
  T: 'type changed',
};

/** "what changed": the working tree against HEAD — a list of files and the unified diff. */
export const whatChanged: DirectAction = async (_parsed, _run, rt) => {
  // The status and the diff against HEAD run side by side; only a repository without a first
  // commit (where `diff HEAD` fails) asks again, for what is staged.
  const diffArgs = ['--no-color', '--no-ext-diff', '--no-textconv'];
  const [status, diffHead] = await Promise.all([
    gitExec(rt.root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']),
    gitExec(rt.root, ['diff', 'HEAD', ...diffArgs]).catch(() => null),
  ]);
  // Ralex's own logs, memory and caches are what Ralex did, not what changed in the project.
  const entries = parsePorcelain(status).filter((e) => !isRalexBookkeeping(e.path));
  if (!entries.length) {
    return {
      reply: 'Nothing changed: the working tree matches the last commit.',
      spoken: 'Nothing has changed since the last commit.',
      diff: '',
    };
  }
  let diff = diffHead ?? (await gitExec(rt.root, ['diff', '--cached', ...diffArgs]));
  if (diff.length > MAX_DIFF_BYTES)
    diff = `${diff.slice(0, MAX_DIFF_BYTES)}\n… (diff cut at ${MAX_DIFF_BYTES} bytes)`;
  const lines = entries.map((e) => `- ${e.word}: \`${e.path}\``);
  const untracked = entries.filter((e) => e.word === 'new').length;
  const reply = [
    `${entries.length} file${entries.length === 1 ? '' : 's'} changed since the last commit:`,
    ...lines,
    untracked
      ? `\n(${untracked} new file${untracked === 1 ? ' is' : 's are'} not tracked yet, so not in the diff below.)`
      : '',
    diff ? `\n\`\`\`diff\n${diff.trimEnd()}\n\`\`\`` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    reply,
    spoken: `${entries.length} file${entries.length === 1 ? '' : 's'} changed: ${entries
      .slice(0, 3)
      .map((e) => e.path.split('/').pop())
      .join(', ')}${entries.length > 3 ? ' and more' : ''}.`,
    files: entries.map((e) => e.path),
    diff,
  };
};

/** Parses `git status --porcelain=v1 -z` into paths with a readable status word. */
export function parsePorcelain(output: string): { path: string; code: string; word: string }[] {
  const parts = output.split('\0');
  const entries: { path: string; code: string; word: string }[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length < 4) continue;
    const code = part.slice(0, 2);
    const path = part.slice(3);
    if (code[0] === 'R' || code[0] === 'C') i++; // the next field is the original path
    const letter = code === '??' ? '?' : code[0] !== ' ' ? code[0]! : code[1]!;
    entries.push({ path, code, word: STATUS_WORDS[letter] ?? 'changed' });
  }
  return entries;
}
