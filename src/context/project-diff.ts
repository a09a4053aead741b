import { gitExec } from '../git/git-exec.js';

/** What a review looks at: the working tree's changes against HEAD, or the last commit when clean. */
export interface ProjectDiff {
  files: string[];
  text: string;
  /** Where it came from: "working tree" or "last commit". */
  source: 'working tree' | 'last commit';
}

/** Longest diff text read; the packer cuts it further to the budget. */
const MAX_DIFF_CHARS = 400_000;

/**
 * The diff a review gets: uncommitted changes (staged and not) against HEAD plus the names of
 * new untracked files, limited to paths `canRead` allows (secrets stay out); when the working
 * tree is clean, the last commit. Empty in a repository without commits.
 */
export async function projectDiff(root: string, canRead: (path: string) => boolean): Promise<ProjectDiff> {
  const hasHead = (
    await gitExec(root, ['rev-parse', '-q', '--verify', 'HEAD'], { allowExitCodes: [1] })
  ).trim();
  if (!hasHead) return { files: [], text: '', source: 'working tree' };
  const split = (out: string) => out.split('\0').filter((p) => p.length > 0 && canRead(p));
  let files = split(await gitExec(root, ['diff', 'HEAD', '--name-only', '-z', '--no-renames']));
  const untracked = split(await gitExec(root, ['ls-files', '-z', '--others', '--exclude-standard'])).filter(
    (p) => !p.startsWith('.ralex/'),
  );
  let source: ProjectDiff['source'] = 'working tree';
  let range = ['HEAD'];
  if (files.length === 0 && untracked.length === 0) {
    const parent = (
      await gitExec(root, ['rev-parse', '-q', '--verify', 'HEAD~1'], { allowExitCodes: [1] })
    ).trim();
    range = parent ? ['HEAD~1', 'HEAD'] : ['--root', 'HEAD'];
    files = split(
      await gitExec(
        root,
        parent
          ? ['diff', ...range, '--name-only', '-z']
          : ['diff-tree', '-r', '--name-only', '-z', '--root', 'HEAD'],
      ),
    );
    source = 'last commit';
  }
  if (files.length === 0 && untracked.length === 0) return { files: [], text: '', source };
  const spec = files.map((p) => `:(literal)${p}`);
  const diff = files.length
    ? await gitExec(root, [
        ...(range[0] === '--root' ? ['diff-tree', '-p', '-r'] : ['diff']),
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        ...range,
        '--',
        ...spec,
      ])
    : '';
  const added = untracked.length ? `\nNew files not yet in git: ${untracked.join(', ')}\n` : '';
  return { files: [...files, ...untracked], text: `${diff.slice(0, MAX_DIFF_CHARS)}${added}`, source };
}
