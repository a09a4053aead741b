import { readFile } from 'node:fs/promises';

/** A pronunciation dictionary: lower-case word → its phone strings (first is the main one). */
export type PronunciationDictionary = ReadonlyMap<string, readonly string[]>;

const loaded = new Map<string, Promise<PronunciationDictionary>>();

/** Reads a Sphinx dictionary (`word PH ON ES`, variants as `word(2)`); concurrent readers share one read. */
export function loadDictionary(dictPath: string): Promise<PronunciationDictionary> {
  let entry = loaded.get(dictPath);
  if (!entry) {
    entry = readFile(dictPath, 'utf8').then(parseDictionary);
    loaded.set(dictPath, entry);
    // Shared only while a vocabulary is being built: the full CMU dictionary is tens of MB, and
    // a long-running `ralex serve` must not keep it once the project's words are looked up.
    const forget = () => loaded.delete(dictPath);
    entry.then(forget, forget);
  }
  return entry;
}

/** Parses Sphinx dictionary text. */
export function parseDictionary(text: string): PronunciationDictionary {
  const dict = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const space = line.search(/\s/);
    if (space <= 0) continue;
    const word = line
      .slice(0, space)
      .replace(/\(\d+\)$/, '')
      .toLowerCase();
    const phones = line.slice(space).trim().replace(/\s+/g, ' ');
    if (!phones) continue;
    const list = dict.get(word);
    if (list) list.push(phones);
    else dict.set(word, [phones]);
  }
  return dict;
}

/** Renders entries back to Sphinx dictionary text, variants numbered. */
export function formatDictionary(entries: Iterable<readonly [string, readonly string[]]>): string {
  const lines: string[] = [];
  for (const [word, prons] of entries) {
    prons.forEach((phones, index) => {
      lines.push(`${index === 0 ? word : `${word}(${index + 1})`} ${phones}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
