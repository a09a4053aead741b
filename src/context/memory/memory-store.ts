import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  forgottenHashes,
  formatEntry,
  MEMORY_FILES,
  type MemoryEntry,
  type MemoryFileName,
  parseEntries,
  textHash,
} from './memory-entry.js';
import { secretIn } from './secret-guard.js';

/** The outcome of remembering something. */
export type RememberOutcome =
  | { status: 'remembered' | 'already known'; entry: MemoryEntry }
  | { status: 'refused'; reason: string }
  | { status: 'forgotten before'; reason: string };

/** Reads and edits the memory files in `.ralex/context/`; a person's edits always win. */
export interface MemoryStore {
  readonly dir: string;
  /** Every entry of every memory file (or of one). */
  list(file?: MemoryFileName): Promise<MemoryEntry[]>;
  /** The raw text of a memory file, or null when it does not exist. */
  read(file: MemoryFileName): Promise<string | null>;
  /**
   * Adds an entry Ralex learned (or was told). Refused when it holds a secret; skipped when a
   * person asked to forget it (unless `explicit`: saying it again brings it back).
   */
  remember(
    file: MemoryFileName,
    text: string,
    from: string,
    options?: { explicit?: boolean },
  ): Promise<RememberOutcome>;
  /** Removes the entries whose text contains `query` (or whose id is `query`), and keeps them from coming back. */
  forget(query: string): Promise<MemoryEntry[]>;
  /**
   * Writes a generated file (project understanding, relationships) unless a person edited the
   * last generated version: then it is kept as they left it.
   */
  writeGenerated(file: MemoryFileName, body: string): Promise<'written' | 'unchanged' | 'kept your edit'>;
}

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  now?: () => Date;
  newId?: () => string;
}

/** Opens the memory in `contextDir` (`.ralex/context`); files are created on first write. */
export function createMemoryStore(contextDir: string, options: MemoryStoreOptions = {}): MemoryStore {
  const now = options.now ?? (() => new Date());
  let counter = 0;
  const newId = options.newId ?? (() => `m_${Date.now().toString(36)}${(counter++).toString(36)}`);
  const pathOf = (file: MemoryFileName) => join(contextDir, MEMORY_FILES[file].file);
  const read = (file: MemoryFileName) => readFile(pathOf(file), 'utf8').catch(() => null);
  const write = async (file: MemoryFileName, text: string) => {
    await mkdir(contextDir, { recursive: true });
    const target = pathOf(file);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, text.endsWith('\n') ? text : `${text}\n`, 'utf8');
    await rename(temp, target);
  };
  const header = (file: MemoryFileName) =>
    `# ${MEMORY_FILES[file].title}\n\n${MEMORY_FILES[file].about}\n<!-- Ralex's memory, plain markdown. Edit freely: an entry you change or write yourself is never rewritten by Ralex. -->\n\n`;

  return {
    dir: contextDir,
    read,
    async list(file) {
      const files = file ? [file] : (Object.keys(MEMORY_FILES) as MemoryFileName[]);
      const out: MemoryEntry[] = [];
      for (const f of files) {
        const text = await read(f);
        if (!text) continue;
        const entries = parseEntries(f, text);
        // A generated file's lines are Ralex's while the file is as Ralex made it.
        const marker = /<!-- ralex generated="([0-9a-f]+)" -->\n/.exec(text);
        const intact = marker && textHash(text.slice(marker.index + marker[0].length)) === marker[1];
        for (const e of entries)
          out.push(intact ? { ...e, from: 'made by Ralex from the project', byRalex: true } : e);
      }
      return out;
    },
    async remember(file, text, from, opts = {}) {
      const clean = text.replace(/\s+/g, ' ').trim();
      const secret = secretIn(clean);
      if (secret)
        return {
          status: 'refused',
          reason: `Not remembered: ${secret}. Memory is plain text that syncs between devices.`,
        };
      let current = (await read(file)) ?? header(file);
      const hash = textHash(clean);
      const existing = parseEntries(file, current).find((e) => textHash(e.text) === hash);
      if (existing) return { status: 'already known', entry: existing };
      if (forgottenHashes(current).has(hash)) {
        if (!opts.explicit) return { status: 'forgotten before', reason: 'You asked Ralex to forget this.' };
        current = current.replace(`<!-- ralex forgotten="${hash}" -->\n`, '');
      }
      const entry = { id: newId(), text: clean, at: now().toISOString(), from };
      current = `${current.trimEnd()}\n${formatEntry(entry)}\n`;
      await write(file, compress(file, current, now));
      return { status: 'remembered', entry: { file, ...entry, byRalex: true } };
    },
    async forget(query) {
      const q = query.trim().toLowerCase();
      const removed: MemoryEntry[] = [];
      for (const file of Object.keys(MEMORY_FILES) as MemoryFileName[]) {
        const text = await read(file);
        if (!text) continue;
        const gone = parseEntries(file, text).filter(
          (e) => e.id === query.trim() || e.text.toLowerCase().includes(q),
        );
        if (gone.length === 0) continue;
        const lines = text.split('\n');
        const keep = lines.filter((line) => !gone.some((e) => isLineOf(line, e)));
        const tombstones = gone.map((e) => `<!-- ralex forgotten="${textHash(e.text)}" -->`);
        await write(file, `${keep.join('\n').trimEnd()}\n${tombstones.join('\n')}\n`);
        removed.push(...gone);
      }
      return removed;
    },
    async writeGenerated(file, body) {
      const current = await read(file);
      const marker = current ? /<!-- ralex generated="([0-9a-f]+)" -->/.exec(current) : null;
      if (current && !marker) return 'kept your edit';
      if (current && marker) {
        const rest = current.replace(/^[\s\S]*?<!-- ralex generated="[0-9a-f]+" -->\n/, '');
        if (textHash(rest) !== marker[1]) return 'kept your edit';
        if (rest.trim() === body.trim()) return 'unchanged';
      }
      const capped = capText(body, MEMORY_FILES[file].cap);
      const text = `${header(file)}<!-- ralex generated="${textHash(`${capped.trimEnd()}\n`)}" -->\n${capped.trimEnd()}\n`;
      await write(file, text);
      return 'written';
    },
  };
}

function isLineOf(line: string, e: MemoryEntry): boolean {
  if (!/^\s*[-*] /.test(line)) return false;
  return (
    line.includes(`id="${e.id}"`) ||
    line
      .replace(/<!--.*-->/, '')
      .replace(/^\s*[-*] /, '')
      .trim() === e.text
  );
}

/** Cuts a generated text at a line boundary to fit `cap` bytes. */
function capText(text: string, cap: number): string {
  if (Buffer.byteLength(text) <= cap) return text;
  const lines = text.split('\n');
  while (lines.length > 1 && Buffer.byteLength(lines.join('\n')) > cap - 40) lines.pop();
  return `${lines.join('\n')}\n- … (cut at the size cap)`;
}

/** Entries merged into one when a file passes its cap (oldest first). */
const COMPRESS_BATCH = 8;
const SUMMARY_CHARS = 400;

/**
 * Keeps a file under its cap by compressing its oldest Ralex entries, a few at a time, into one
 * extractive summary line (dates and the start of each entry): older memory gets shorter, never lost
 * without a trace. A person's own entries are never compressed.
 */
export function compress(file: MemoryFileName, text: string, now: () => Date): string {
  let out = text;
  for (let guard = 0; guard < 50 && Buffer.byteLength(out) > MEMORY_FILES[file].cap; guard++) {
    const entries = parseEntries(file, out).filter((e) => e.byRalex && !e.id.startsWith('c_'));
    if (entries.length < 2) break;
    const batch = entries.slice(0, COMPRESS_BATCH);
    const dates = batch.map((e) => e.at?.slice(0, 10)).filter(Boolean) as string[];
    const summary = batch
      .map((e) => e.text.split(/[.;]/)[0]!.slice(0, 80))
      .join('; ')
      .slice(0, SUMMARY_CHARS);
    const line = formatEntry({
      id: `c_${textHash(summary)}`,
      text: `Earlier (${dates[0] ?? '?'} to ${dates.at(-1) ?? '?'}): ${summary}`,
      at: now().toISOString(),
      from: `compressed from ${batch.length} entries`,
    });
    const lines = out.split('\n');
    const first = lines.findIndex((l) => isLineOf(l, batch[0]!));
    const kept = lines.filter((l) => !batch.some((e) => isLineOf(l, e)));
    kept.splice(Math.max(0, first), 0, line);
    out = kept.join('\n');
  }
  return out;
}
