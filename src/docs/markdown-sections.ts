import type { DocSection } from './library.js';

/** Longest section kept whole; a longer one is split at paragraphs. */
const MAX_SECTION_CHARS = 2400;

/**
 * Splits a README (or any markdown) into its sections by heading, outside code fences. Badge and
 * image-only lines are dropped; a long section is split into parts. Titles carry the file name
 * and the heading: `README.md › Parse`.
 */
export function markdownSections(text: string, source: string, file: string): DocSection[] {
  const out: DocSection[] = [];
  let title = file;
  let body: string[] = [];
  let inFence = false;
  const flush = () => {
    const t = body.join('\n').trim();
    body = [];
    if (t.length < 20) return;
    for (const part of split(t))
      out.push({ title, text: part, source, kind: 'readme', names: codeNames(part) });
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const h = inFence ? null : /^(#{1,4})\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      title = `${file} › ${h[2]!
        .replace(/<[^>]+>/g, '')
        .replace(/[*_`]/g, '')
        .trim()}`;
      continue;
    }
    // Badges, images and bare HTML are noise in a prompt.
    if (
      !inFence &&
      /^\s*(\[?!\[[^\]]*\]\([^)]*\)\]?(\([^)]*\))?\s*)+$|^\s*<\/?(p|img|a|div|br|h\d|picture|source)\b[^>]*>\s*$/i.test(
        line,
      )
    )
      continue;
    body.push(line);
  }
  flush();
  return out;
}

function split(text: string): string[] {
  if (text.length <= MAX_SECTION_CHARS) return [text];
  const parts: string[] = [];
  let current = '';
  for (const para of text.split(/\n{2,}/)) {
    if (current && current.length + para.length > MAX_SECTION_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${para}` : para.slice(0, MAX_SECTION_CHARS);
  }
  if (current) parts.push(current);
  return parts;
}

/** Names a section shows as code: `` `dayjs.extend()` ``, `format(`. */
function codeNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/`([A-Za-z_$][\w$.]*)(?:\(\))?`|\.([A-Za-z_$][\w$]*)\(/g)) {
    const n = (m[1] ?? m[2])!;
    for (const part of n.split('.')) if (part.length > 1) names.add(part);
  }
  return [...names].slice(0, 40);
}
