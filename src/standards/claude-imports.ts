import { dirname, isAbsolute, join, resolve } from 'node:path';
import { projectPath, type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { isSecretPath } from '../project/secret-files.js';
import { MAX_STANDARD_BYTES } from './read-standard.js';

/** A file a CLAUDE.md pulled in with `@path`, as read. */
export interface ImportedFile {
  /** Project-relative path. */
  path: string;
  /** The chain of files that imported it, nearest last (`CLAUDE.md → docs/testing.md`). */
  via: string[];
  text: string;
  /** True when the file was longer than a standard may be and only its start was read. */
  cut: boolean;
}

/** How deep imports are followed, as in Claude Code (an import of an import … five hops). */
const MAX_DEPTH = 5;
const MAX_IMPORTS = 40;
/** `@path` at the start of a line or after a space; an e-mail address (`me@host`) is not one. */
const IMPORT = /(^|[\s(])@(~\/[\w.\-/]+|[\w./-][\w.\-/]*)/g;
/** An extension that shows a missing `@name` was meant as a file (not `@decorator`, `@types/node`). */
const FILE_LIKE = /\.(md|mdx|txt|markdown|ya?ml|json|toml|rst)$/i;

/** The `@path` references of a markdown text, outside code spans and fenced code blocks. */
export function importReferences(text: string): string[] {
  const refs: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const prose = line.replace(/`[^`]*`/g, ' ');
    for (const m of prose.matchAll(IMPORT)) refs.push(m[2]!.replace(/[.,;:)]+$/, ''));
  }
  return refs;
}

/**
 * Follows the `@path` imports of a CLAUDE.md, depth first, up to five hops. An import must stay
 * inside the project (lexically and after symlinks: the policy decides) and may not be a secret:
 * `@../../etc/passwd`, `@~/.ssh/id_rsa`, `@.env` and a symlink out are refused with a note, never read.
 */
export async function followImports(
  file: string,
  text: string,
  guard: ReadGuard,
  notes: string[],
): Promise<ImportedFile[]> {
  const out: ImportedFile[] = [];
  const seen = new Set<string>([file]);
  const visit = async (from: string, body: string, via: string[]): Promise<void> => {
    for (const ref of importReferences(body)) {
      if (out.length >= MAX_IMPORTS) return;
      const shown = `${from} imports @${ref}`;
      if (ref.startsWith('~/')) {
        notes.push(`${shown}, which is in your home folder, outside the project: not read.`);
        continue;
      }
      const abs = isAbsolute(ref) ? resolve(ref) : resolve(guard.root, dirname(from), ref);
      const rel = projectPath(abs, guard.root);
      if (rel === null) {
        notes.push(`${shown}, which is outside the project: not read.`);
        continue;
      }
      if (isSecretPath(rel)) {
        notes.push(`${shown}, which may hold secrets: not read.`);
        continue;
      }
      if (seen.has(rel)) continue;
      if (via.length >= MAX_DEPTH) {
        notes.push(`${shown}: imports are followed ${MAX_DEPTH} deep; not read.`);
        continue;
      }
      const r = await readGuarded(join(guard.root, rel), guard, MAX_STANDARD_BYTES);
      if (!r.ok) {
        if (r.reason !== 'it does not exist' || FILE_LIKE.test(ref))
          notes.push(`${shown}: not read, ${r.reason}.`);
        continue;
      }
      seen.add(rel);
      out.push({ path: rel, via: [...via, from], text: r.text, cut: r.cut });
      await visit(rel, r.text, [...via, from]);
    }
  };
  await visit(file, text, []);
  return out;
}
