import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | null = null;
/** A private folder for the stand-ins, removed when the process exits. */
const folder = (): string => {
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), 'ralex-sandbox-'));
    dir = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return dir;
};

/**
 * An empty, read-only regular file to mount over a hidden file. (Not /dev/null: bubblewrap's
 * mounts in a user namespace are `nodev`, so reading a bound device fails, and git then refuses
 * to work at all when the hidden file is its config.)
 */
export function emptyStandIn(): string {
  const file = join(folder(), 'empty');
  if (!existsSync(file)) writeFileSync(file, '', { mode: 0o444 });
  return file;
}

/** Keys of a repository's config the sandbox's git needs to read the repository; nothing else. */
const KEPT_KEYS =
  /^(core\.(repositoryformatversion|bare|filemode|symlinks|ignorecase|precomposeunicode|logallrefupdates)|extensions\..+)$/i;

/**
 * A stand-in for a repository's `.git/config` inside the sandbox: the format keys git needs, and
 * none of the rest — remote URLs (which often carry tokens), credential helpers, aliases, hooks
 * paths, fsmonitor or filters.
 */
export function sanitizedGitConfig(configFile: string): string {
  let source: Buffer;
  try {
    source = readFileSync(configFile);
  } catch {
    source = Buffer.alloc(0);
  }
  const file = join(folder(), `git-config-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  if (existsSync(file)) return file;
  let listing = '';
  try {
    listing = execFileSync('git', ['config', '--file', configFile, '--null', '--list'], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
  } catch {
    listing = '';
  }
  const sections = new Map<string, string[]>();
  for (const entry of listing.split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline < 0) continue;
    const key = entry.slice(0, newline);
    const value = entry.slice(newline + 1);
    if (!KEPT_KEYS.test(key) || /[\n"\\]/.test(value)) continue;
    const dot = key.indexOf('.');
    const section = key.slice(0, dot);
    const lines = sections.get(section) ?? [];
    lines.push(`\t${key.slice(dot + 1)} = ${value}`);
    sections.set(section, lines);
  }
  const text = [...sections].map(([section, lines]) => `[${section}]\n${lines.join('\n')}\n`).join('');
  writeFileSync(file, text || '[core]\n\trepositoryformatversion = 0\n', { mode: 0o444 });
  return file;
}
