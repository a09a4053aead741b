import { RalexError } from '../../errors.js';
import { GitCommandError, gitExec } from '../../git/git-exec.js';
import type { FileChange } from '../checkpoint/checkpoint.js';

/** `git diff` of some files between two trees; never a project's external diff or textconv. */
function diffTrees(
  root: string,
  fromTree: string,
  toTree: string,
  files: readonly string[],
  options: string[],
) {
  const specs = files.map((f) => `:(literal)${f}`);
  return gitExec(root, [
    'diff',
    ...options,
    '--no-renames',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    fromTree,
    toTree,
    '--',
    ...specs,
  ]);
}

/** The exact change between two trees for some files, as a binary-safe patch `git apply` takes. */
export function treePatch(
  root: string,
  fromTree: string,
  toTree: string,
  files: readonly string[],
): Promise<string> {
  return diffTrees(root, fromTree, toTree, files, ['--binary', '--full-index']);
}

/** The same change as a readable unified diff (binary files summarised), for results and the timeline. */
export function displayPatch(
  root: string,
  fromTree: string,
  toTree: string,
  files: readonly string[],
): Promise<string> {
  return diffTrees(root, fromTree, toTree, files, []);
}

/**
 * The agent's change between two trees as the checks and the review of test edits read it: the
 * files with how each changed, and the readable patch.
 */
export async function agentChangeDiff(
  root: string,
  fromTree: string,
  toTree: string,
  files: readonly string[],
): Promise<{ files: FileChange[]; patch: string }> {
  const specs = files.map((f) => `:(literal)${f}`);
  const [status, patch] = await Promise.all([
    gitExec(root, [
      'diff-tree',
      '-r',
      '-z',
      '--no-renames',
      '--name-status',
      fromTree,
      toTree,
      '--',
      ...specs,
    ]),
    displayPatch(root, fromTree, toTree, files),
  ]);
  const fields = status.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const letter = fields[i]!;
    changes.push({
      path: fields[i + 1]!,
      status: letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified',
    });
  }
  return { files: changes, patch };
}

/**
 * Applies a patch to the working tree only if it applies cleanly everywhere; otherwise changes
 * nothing and says which file is in the way. The user's edits are never merged over.
 */
export async function applyToWorkTree(
  root: string,
  patch: string,
  options: { check: boolean },
): Promise<void> {
  if (!patch.trim()) return;
  try {
    await gitExec(
      root,
      ['apply', '--binary', '--whitespace=nowarn', ...(options.check ? ['--check'] : []), '-'],
      { input: patch },
    );
  } catch (error) {
    throw conflictError(error, 'the working tree');
  }
}

/**
 * Commits a patch on top of HEAD without touching the working tree or the rest of the user's
 * index: the patch is applied to a scratch index read from HEAD, committed, HEAD moved (with
 * its old value checked), and only the patched paths of the real index brought in line.
 * `check: true` only tests that it would apply.
 */
export async function commitPatchOnHead(
  root: string,
  patch: string,
  options: { message: string; files: readonly string[]; check?: boolean; scratchIndex: string },
): Promise<string | null> {
  const head = await gitExec(root, ['rev-parse', '--verify', '-q', 'HEAD']).then(
    (s) => s.trim(),
    () => null,
  );
  const indexFile = options.scratchIndex;
  await gitExec(root, head ? ['read-tree', head] : ['read-tree', '--empty'], { indexFile });
  try {
    await gitExec(root, ['apply', '--cached', '--binary', '--whitespace=nowarn', '-'], {
      indexFile,
      input: patch,
    });
  } catch (error) {
    throw conflictError(error, 'the last commit');
  }
  if (options.check) return null;
  const tree = (await gitExec(root, ['write-tree'], { indexFile })).trim();
  const commit = (
    await gitExec(root, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-F', '-'], {
      input: `${options.message.trim()}\n`,
    })
  ).trim();
  await gitExec(root, ['update-ref', '-m', 'ralex: commit', 'HEAD', commit, ...(head ? [head] : [])]);
  await gitExec(root, ['reset', '-q', commit, '--', ...options.files]).catch(() => undefined);
  return commit;
}

function conflictError(error: unknown, where: string): RalexError {
  const stderr = error instanceof GitCommandError ? error.stderr.trim() : String(error);
  const file = stderr.match(/patch failed: ([^:\n]+)/)?.[1] ?? stderr.match(/error: ([^:\n]+): /)?.[1];
  return new RalexError(
    'conflict',
    `The change no longer fits ${where}${file ? ` (${file} has changed since)` : ''}.`,
    {
      details: { stderr },
      hint: 'Your edits since then are kept. Undo the overlapping part by hand, or commit your work and try again.',
    },
  );
}
