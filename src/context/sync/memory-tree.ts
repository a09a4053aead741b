import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gitExec, gitExecBuffer } from '../../git/git-exec.js';
import { MEMORY_FILES } from '../memory/memory-entry.js';
import { secretIn } from '../memory/secret-guard.js';

/** What syncs, relative to `.ralex/`: the memory files and the session logs (never state/, config/ or cache/). */
export type SyncedFiles = Map<string, string>;

const MEMORY_PATHS = Object.values(MEMORY_FILES).map((f) => `context/${f.file}`);
const WITHHELD = '(a line withheld from sync: it looks like a credential)';

/** Whether a `.ralex/`-relative path is one Ralex syncs. */
export function isSyncedPath(path: string): boolean {
  return MEMORY_PATHS.includes(path) || /^sessions\/[^/]+\.md$/.test(path);
}

/**
 * The synced files as they are on disk now. Session logs hold what was said and answered: a
 * line that looks like a credential is withheld, so it never leaves the device.
 */
export async function readLocalFiles(ralexDir: string): Promise<SyncedFiles> {
  const out: SyncedFiles = new Map();
  for (const path of MEMORY_PATHS) {
    const text = await readFile(join(ralexDir, path), 'utf8').catch(() => null);
    if (text !== null) out.set(path, text);
  }
  const sessions = await readdir(join(ralexDir, 'sessions')).catch(() => [] as string[]);
  for (const name of sessions.sort()) {
    if (!name.endsWith('.md')) continue;
    const text = await readFile(join(ralexDir, 'sessions', name), 'utf8').catch(() => null);
    if (text !== null) out.set(`sessions/${name}`, withholdSecrets(text));
  }
  return out;
}

/** The text with every line that looks like it holds a credential replaced by a note. */
export function withholdSecrets(text: string): string {
  return text
    .split('\n')
    .map((line) => (secretIn(line) ? WITHHELD : line))
    .join('\n');
}

/** Writes the files as blobs and a tree (the sessions in a subtree), in the project's object store; no index is touched. */
export async function writeTree(root: string, files: SyncedFiles): Promise<string> {
  const entries = new Map<string, { name: string; sha: string }[]>();
  for (const [path, text] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const sha = (await gitExec(root, ['hash-object', '-w', '--stdin'], { input: text })).trim();
    const dir = dirname(path);
    const list = entries.get(dir) ?? [];
    list.push({ name: path.slice(dir.length + 1), sha });
    entries.set(dir, list);
  }
  const top: string[] = [];
  for (const dir of ['context', 'sessions']) {
    const list = entries.get(dir);
    if (!list?.length) continue;
    const lines = list.map((e) => `100644 blob ${e.sha}\t${e.name}`).join('\n');
    const sha = (await gitExec(root, ['mktree'], { input: `${lines}\n` })).trim();
    top.push(`040000 tree ${sha}\t${dir}`);
  }
  return (await gitExec(root, ['mktree'], { input: top.length ? `${top.join('\n')}\n` : '' })).trim();
}

/** The synced files of a commit (or tree). */
export async function readCommitFiles(root: string, rev: string): Promise<SyncedFiles> {
  const out: SyncedFiles = new Map();
  const listing = await gitExec(root, ['ls-tree', '-r', '-z', rev]);
  const blobs: { path: string; sha: string }[] = [];
  for (const entry of listing.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (m && isSyncedPath(m[2]!)) blobs.push({ sha: m[1]!, path: m[2]! });
  }
  if (blobs.length === 0) return out;
  const raw = await gitExecBuffer(root, ['cat-file', '--batch'], {
    input: `${blobs.map((b) => b.sha).join('\n')}\n`,
  });
  let at = 0;
  for (const b of blobs) {
    const nl = raw.indexOf(10, at);
    const size = Number(raw.toString('utf8', at, nl).split(' ')[2]);
    out.set(b.path, raw.toString('utf8', nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}

/** Writes files under `.ralex/` (each atomically: a temp file, then a rename). */
export async function writeLocalFiles(ralexDir: string, files: SyncedFiles): Promise<void> {
  for (const [path, text] of files) {
    const target = join(ralexDir, path);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.sync-tmp`;
    await writeFile(temp, text, 'utf8');
    await rename(temp, target);
  }
}
