import { createHash } from 'node:crypto';

/** Ralex's memory files in `.ralex/context/`, with what each holds and its size cap in bytes. */
export const MEMORY_FILES = {
  project_understanding: {
    file: 'project_understanding.md',
    title: 'Project understanding',
    about: 'Languages, frameworks, layout and how to build and test, made by Ralex from the project itself.',
    cap: 8 * 1024,
  },
  file_relationships: {
    file: 'file_relationships.md',
    title: 'File relationships',
    about: 'Files that use each other and files that change together, from imports and git history.',
    cap: 8 * 1024,
  },
  conversation_history: {
    file: 'conversation_history.md',
    title: 'Conversation history',
    about: 'Decisions and outcomes of past commands, oldest compressed first.',
    cap: 24 * 1024,
  },
  user_patterns: {
    file: 'user_patterns.md',
    title: 'User patterns',
    about: 'Preferences learned from what you said and did ("remember that …", corrections, undos).',
    cap: 8 * 1024,
  },
} as const;

/** One of the memory files. */
export type MemoryFileName = keyof typeof MEMORY_FILES;

/** One remembered thing: a list item in a memory file, with where it came from. */
export interface MemoryEntry {
  file: MemoryFileName;
  /** Stable id (Ralex's entries), or a hash of the text for entries a person wrote. */
  id: string;
  text: string;
  /** When it was learned (ISO), null for entries a person wrote. */
  at: string | null;
  /** What it was learned from ("ralex memory remember", "command cmd_… in session ses_…"). */
  from: string;
  /** True when Ralex wrote it (it carries Ralex's marker) and its text is as Ralex wrote it. */
  byRalex: boolean;
}

const MARKER = /\s*<!-- ralex (.*?) -->\s*$/;
const FIELD = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Short hash of a text, to spot an entry a person edited and to remember what was forgotten. */
export function textHash(text: string): string {
  return createHash('sha256').update(text.trim().toLowerCase()).digest('hex').slice(0, 10);
}

/** The markdown line of an entry Ralex writes: the text, then a hidden marker with id, time, source and hash. */
export function formatEntry(e: { id: string; text: string; at: string; from: string }): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/--/g, '- -');
  const text = e.text.replace(/\s+/g, ' ').trim();
  return `- ${text} <!-- ralex id="${e.id}" at="${e.at}" from="${esc(e.from)}" hash="${textHash(text)}" -->`;
}

/** The entries (list items) of one memory file's text; a person's own lines count as entries too. */
export function parseEntries(file: MemoryFileName, markdown: string): MemoryEntry[] {
  const out: MemoryEntry[] = [];
  for (const line of markdown.split('\n')) {
    if (!/^\s*[-*] /.test(line)) continue;
    const marker = MARKER.exec(line);
    const text = line
      .replace(MARKER, '')
      .replace(/^\s*[-*] /, '')
      .trim();
    if (!text) continue;
    if (!marker) {
      out.push({ file, id: `u_${textHash(text)}`, text, at: null, from: 'written by you', byRalex: false });
      continue;
    }
    const fields: Record<string, string> = {};
    for (const m of marker[1]!.matchAll(FIELD)) fields[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
    out.push({
      file,
      id: fields.id ?? `u_${textHash(text)}`,
      text,
      at: fields.at ?? null,
      from: fields.from ?? 'unknown',
      // Edited by a person since Ralex wrote it: the hash no longer fits; the person's text wins.
      byRalex: fields.hash === textHash(text),
    });
  }
  return out;
}

/** The hashes of texts a person asked Ralex to forget (kept in the file, so they sync too). */
export function forgottenHashes(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/<!-- ralex forgotten="([0-9a-f]+)" -->/g)) out.add(m[1]!);
  return out;
}
