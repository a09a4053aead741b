import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gitExec } from '../../git/git-exec.js';
import { type Clock, systemClock } from '../../util/ids.js';
import type { Checkpoint } from './checkpoint.js';
import { CHECKPOINT_REF_PREFIX } from './checkpoint.js';
import { loadCheckpoints } from './list-checkpoints.js';
import { openRepo, type RepoPaths } from './open-repo.js';
import { scratchDir } from './scratch-index.js';

/**
 * Retention defaults: the newest 50 checkpoints, none older than 14 days, and at most 512 MiB of
 * content they keep alive beyond the project's history (sum of `addedBytes`, an over-estimate
 * since consecutive checkpoints share unchanged blobs).
 */
export const DEFAULT_RETENTION: Readonly<RetentionLimits> = {
  maxCount: 50,
  maxAgeDays: 14,
  maxTotalBytes: 512 * 1024 * 1024,
};

/** The three retention limits. */
export interface RetentionLimits {
  maxCount: number;
  maxAgeDays: number;
  maxTotalBytes: number;
}

/** Options of `pruneCheckpoints`; every limit falls back to `DEFAULT_RETENTION`. */
export interface PruneOptions extends Partial<RetentionLimits> {
  /** Ids never deleted, e.g. the checkpoint of a command still running (they still count toward limits). */
  keep?: readonly string[];
  now?: Clock;
}

/** What a prune kept and deleted, newest first. */
export interface PruneResult {
  kept: Checkpoint[];
  deleted: Checkpoint[];
}

/**
 * Deletes the checkpoint refs beyond the count, age and size limits, oldest first.
 *
 * Why this stays bounded where OpenCode's snapshot store grew to 100–380 GB for some users: OpenCode
 * keeps snapshots in a separate git repository per project (~/.local/share/opencode/snapshot), runs
 * `git add .` of the whole worktree before every tool call, and for a long time had no pruning at all
 * (later an hourly `gc --prune=7.days` that needs twice the pack size on disk and leaves `tmp_pack_*`
 * files behind when interrupted). Here a checkpoint is one commit per command in the repository's own
 * object store, so unchanged files are the blobs the project already has and cost nothing; retention
 * is a bounded set of refs, and deleting a ref makes its objects unreachable, so git's ordinary
 * `gc --auto` (run by the user's own commits, merges and fetches) reclaims them after its usual grace
 * period. We do not run gc on every call: it is slow on big repositories, takes locks the user's
 * git would hit, and repacking is git's own job on its own schedule.
 */
export async function pruneCheckpoints(repoDir: string, opts: PruneOptions = {}): Promise<PruneResult> {
  const repo = await openRepo(repoDir);
  const limits = { ...DEFAULT_RETENTION, ...definedOnly(opts) };
  const now = (opts.now ?? systemClock)().getTime();
  const keep = new Set(opts.keep ?? []);
  const kept: Checkpoint[] = [];
  const deleted: Checkpoint[] = [];
  let totalBytes = 0;
  let overLimit = false;
  for (const checkpoint of await loadCheckpoints(repo.root, CHECKPOINT_REF_PREFIX)) {
    const ageDays = (now - Date.parse(checkpoint.createdAt)) / 86_400_000;
    overLimit ||=
      kept.length >= limits.maxCount ||
      ageDays > limits.maxAgeDays ||
      totalBytes + checkpoint.addedBytes > limits.maxTotalBytes;
    if (overLimit && !keep.has(checkpoint.id)) {
      deleted.push(checkpoint);
    } else {
      kept.push(checkpoint);
      totalBytes += checkpoint.addedBytes;
    }
  }
  if (deleted.length > 0) {
    const input = deleted.map((c) => `delete ${c.ref} ${c.commit}\n`).join('');
    await gitExec(repo.root, ['update-ref', '--stdin'], { input });
  }
  await removeStaleScratchFiles(repo);
  return { kept, deleted };
}

function definedOnly(opts: PruneOptions): Partial<RetentionLimits> {
  const out: Partial<RetentionLimits> = {};
  if (opts.maxCount !== undefined) out.maxCount = opts.maxCount;
  if (opts.maxAgeDays !== undefined) out.maxAgeDays = opts.maxAgeDays;
  if (opts.maxTotalBytes !== undefined) out.maxTotalBytes = opts.maxTotalBytes;
  return out;
}

/** Scratch files older than an hour (by the file system's clock) were left by a process that died. */
async function removeStaleScratchFiles(repo: RepoPaths): Promise<void> {
  const now = Date.now();
  const dir = scratchDir(repo);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > 3_600_000) await rm(file, { recursive: true, force: true });
  }
}
