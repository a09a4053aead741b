import { hostname } from 'node:os';
import { join } from 'node:path';
import { RalexError } from '../../errors.js';
import { GitCommandError, gitExec } from '../../git/git-exec.js';
import {
  readCommitFiles,
  readLocalFiles,
  type SyncedFiles,
  writeLocalFiles,
  writeTree,
} from './memory-tree.js';
import { mergeFile } from './merge-files.js';

/** The private ref memory and session logs are committed to: never a branch, never the user's index. */
export const MEMORY_REF = 'refs/ralex/memory';
/** Where the remote's memory is fetched to before merging. */
const REMOTE_TRACKING_REF = 'refs/ralex/remote-memory';

/** What one sync did. */
export interface SyncResult {
  remote: string | null;
  /** The new commit on refs/ralex/memory, or null when nothing changed anywhere. */
  commit: string | null;
  /** Files changed here and committed. */
  sent: string[];
  /** Files changed on another device and written here. */
  received: string[];
  /** Files changed on both, merged (conflicts included). */
  merged: string[];
  /** Files where both changed the same lines: both versions kept, flagged in the file. */
  conflicts: string[];
  pushed: boolean;
  /** What went wrong with the remote, when it did (the local commit is kept either way). */
  remoteError: string | null;
}

/** Options of one sync. */
export interface SyncOptions {
  /** The remote to use; default `origin`, or the only remote; none → local commit only. */
  remote?: string;
  now?: () => Date;
  /** Longest wait for the remote, per fetch or push (default 20 s). */
  timeoutMs?: number;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Ralex',
  GIT_AUTHOR_EMAIL: 'ralex@localhost',
  GIT_COMMITTER_NAME: 'Ralex',
  GIT_COMMITTER_EMAIL: 'ralex@localhost',
};
/** A remote that asks for a password or a host key fails instead of waiting for an answer nobody gives. */
const NO_PROMPTS = { GIT_SSH_COMMAND: 'ssh -o BatchMode=yes', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true' };

/**
 * Syncs memory (`.ralex/context/` files) and session logs with the project's remote through
 * refs/ralex/memory: commits what changed here, fetches the other devices' commit, merges per
 * file (three-way; append-only files keep both sides' lines; conflicting lines are kept side by
 * side and flagged), writes what came in, and pushes. Without a remote it only commits locally.
 */
export async function syncMemory(root: string, options: SyncOptions = {}): Promise<SyncResult> {
  const now = options.now ?? (() => new Date());
  const ralexDir = join(root, '.ralex');
  const remote = options.remote ?? (await defaultRemote(root));
  const result: SyncResult = {
    remote,
    commit: null,
    sent: [],
    received: [],
    merged: [],
    conflicts: [],
    pushed: false,
    remoteError: null,
  };
  const base = await resolve(root, MEMORY_REF);
  let theirs: string | null = null;
  if (remote) {
    try {
      await withTimeout(
        gitExec(
          root,
          [
            'fetch',
            '--quiet',
            '--no-tags',
            '--no-write-fetch-head',
            remote,
            `+${MEMORY_REF}:${REMOTE_TRACKING_REF}`,
          ],
          {
            env: NO_PROMPTS,
          },
        ),
        options.timeoutMs,
      );
      theirs = await resolve(root, REMOTE_TRACKING_REF);
    } catch (error) {
      // No memory on the remote yet is normal; anything else is reported, and the local sync goes on.
      const text = error instanceof GitCommandError ? error.stderr : String(error);
      if (!/couldn't find remote ref|no such ref/i.test(text)) result.remoteError = oneLine(text);
    }
  }
  const local = await readLocalFiles(ralexDir);
  const baseFiles = base ? await readCommitFiles(root, base) : new Map<string, string>();
  const theirFiles = theirs && theirs !== base ? await readCommitFiles(root, theirs) : baseFiles;
  const merged: SyncedFiles = new Map();
  const toWrite: SyncedFiles = new Map();
  for (const path of new Set([...local.keys(), ...theirFiles.keys(), ...baseFiles.keys()])) {
    const b = baseFiles.get(path);
    const o = local.get(path);
    const t = theirFiles.get(path);
    if (o === t || t === b) {
      if (o !== undefined) merged.set(path, o);
      if (o !== b) result.sent.push(path);
    } else if (o === b) {
      // Changed only on the other device (a deletion there is not applied here: memory is never lost by sync).
      if (t !== undefined) {
        merged.set(path, t);
        toWrite.set(path, t);
        result.received.push(path);
      } else if (o !== undefined) merged.set(path, o);
    } else {
      const m = await mergeFile(root, path, b ?? '', o ?? '', t ?? '', now());
      merged.set(path, m.text);
      toWrite.set(path, m.text);
      result.merged.push(path);
      if (m.conflict) result.conflicts.push(path);
    }
  }
  const tree = await writeTree(root, merged);
  const baseTree = base ? (await gitExec(root, ['rev-parse', `${base}^{tree}`])).trim() : null;
  const theirsNew = theirs !== null && theirs !== base;
  const theirTree = theirsNew ? (await gitExec(root, ['rev-parse', `${theirs}^{tree}`])).trim() : null;
  if (theirsNew && tree === theirTree) {
    // Nothing new here that the other device lacks: take its commit as it is (a fast-forward).
    await gitExec(root, ['update-ref', '-m', 'ralex memory sync', MEMORY_REF, theirs!, base ?? '']);
    if (toWrite.size) await writeLocalFiles(ralexDir, toWrite);
    return result;
  }
  if (tree !== baseTree || theirsNew) {
    const parents = [base, theirsNew ? theirs : null].filter((p): p is string => Boolean(p));
    const message = `Ralex memory from ${hostname()}: ${describe(result)}`;
    result.commit = (
      await gitExec(root, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message], {
        env: IDENTITY,
      })
    ).trim();
    // Compare-and-swap: another sync on this machine in between makes this one fail, not overwrite.
    await gitExec(root, ['update-ref', '-m', 'ralex memory sync', MEMORY_REF, result.commit, base ?? '']);
  }
  if (toWrite.size) await writeLocalFiles(ralexDir, toWrite);
  const head = result.commit ?? base;
  if (remote && head && (result.commit !== null || theirs !== head) && !result.remoteError) {
    try {
      await withTimeout(
        gitExec(root, ['push', '--quiet', '--no-verify', remote, `${head}:${MEMORY_REF}`], {
          env: NO_PROMPTS,
        }),
        options.timeoutMs,
      );
      result.pushed = true;
    } catch (error) {
      result.remoteError = oneLine(error instanceof GitCommandError ? error.stderr : String(error));
    }
  }
  return result;
}

async function defaultRemote(root: string): Promise<string | null> {
  const remotes = (await gitExec(root, ['remote'])).split('\n').filter(Boolean);
  if (remotes.includes('origin')) return 'origin';
  return remotes.length === 1 ? remotes[0]! : null;
}

async function resolve(root: string, ref: string): Promise<string | null> {
  const out = (
    await gitExec(root, ['rev-parse', '-q', '--verify', `${ref}^{commit}`], { allowExitCodes: [1] })
  ).trim();
  return out || null;
}

function describe(r: SyncResult): string {
  const parts = [
    r.sent.length ? `${r.sent.length} changed here` : '',
    r.received.length ? `${r.received.length} from another device` : '',
    r.merged.length ? `${r.merged.length} merged` : '',
    r.conflicts.length ? `${r.conflicts.length} with conflicts` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'up to date';
}

function oneLine(text: string): string {
  return text.trim().split('\n').slice(-2).join(' ').slice(0, 300);
}

function withTimeout<T>(p: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RalexError('timeout', `The remote did not answer within ${ms / 1000} s.`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
