import type { DocSection } from './library.js';

/** A declaration longer than this many lines (a big class or interface) is split into its members. */
const SPLIT_LINES = 40;
const MAX_CHUNK_CHARS = 1500;
const DECL =
  /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(function|class|interface|type|const|let|var|enum|namespace|module|global)\b\s*([\w$.]+|'[^']*'|"[^"]*")?/;
const MEMBER =
  /^\s*(?:(?:readonly|static|public|protected|abstract|get|set)\s+)*\[?([A-Za-z_$][\w$]*)\]?\??\s*[(<:]/;

interface Line {
  text: string;
  code: string;
  before: number;
  after: number;
}

/**
 * Splits a TypeScript declaration file into its declarations, each with its doc comment:
 * functions, types, interfaces and classes at the top level and inside `declare namespace` /
 * `declare module` blocks; a large class or interface comes as one chunk per member
 * (`dayjs.Dayjs.format()`). Names are kept for matching the symbols a file uses.
 */
export function declarationChunks(text: string, source: string): DocSection[] {
  const lines = annotate(text.replace(/\r\n/g, '\n').split('\n'));
  const out: DocSection[] = [];
  const emit = (title: string, from: number, to: number, names: string[]) => {
    const body = dedent(lines.slice(from, to + 1).map((l) => l.text)).trim();
    if (body) out.push({ title, text: cut(body), source, kind: 'signature', names });
  };
  const walk = (start: number, end: number, depth: number, prefix: string) => {
    for (let i = start; i <= end; i++) {
      const l = lines[i]!;
      if (l.before !== depth) continue;
      const m = DECL.exec(l.code);
      if (!m) continue;
      const kind = m[1]!;
      const name = (m[2] ?? '').replace(/^['"]|['"]$/g, '');
      const last = endOf(lines, i, end, depth, DECL);
      const doc = docStart(lines, i);
      if (kind === 'namespace' || kind === 'module' || kind === 'global') {
        walk(
          i + 1,
          last - 1,
          depth + 1,
          kind === 'global' || name.includes('/') || !name ? prefix : `${prefix}${name}.`,
        );
      } else if ((kind === 'class' || kind === 'interface') && last - i > SPLIT_LINES) {
        emit(`${prefix}${name}`, doc, i, [name]);
        members(i + 1, last - 1, depth + 1, `${prefix}${name}.`);
      } else {
        emit(`${prefix}${name}${kind === 'function' ? '()' : ''}`, doc, last, [name]);
      }
      i = last;
    }
  };
  const members = (start: number, end: number, depth: number, prefix: string) => {
    for (let i = start; i <= end; i++) {
      const l = lines[i]!;
      if (l.before !== depth) continue;
      const m = MEMBER.exec(l.code);
      if (!m) continue;
      const last = endOf(lines, i, end, depth, MEMBER);
      emit(`${prefix}${m[1]}${/\(/.test(l.code) ? '()' : ''}`, docStart(lines, i), last, [m[1]!]);
      i = last;
    }
  };
  walk(0, lines.length - 1, 0, '');
  return out;
}

/** Each line with its code (strings and comments blanked) and the brace depth before and after it. */
function annotate(raw: string[]): Line[] {
  let depth = 0;
  let inComment = false;
  return raw.map((text) => {
    let code = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (inComment) {
        if (c === '*' && text[i + 1] === '/') {
          inComment = false;
          i++;
        }
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        inComment = true;
        i++;
      } else if (c === '/' && text[i + 1] === '/') break;
      else if (c === '"' || c === "'" || c === '`') {
        const close = text.indexOf(c, i + 1);
        code += `${c}${c}`;
        i = close < 0 ? text.length : close;
      } else code += c;
    }
    const before = depth;
    for (const c of code) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    return { text, code, before, after: depth };
  });
}

/** The last line of the declaration starting at `i`: where the depth is back and the line ends it. */
function endOf(lines: Line[], i: number, end: number, depth: number, starts: RegExp): number {
  for (let j = i; j <= end; j++) {
    const l = lines[j]!;
    const code = l.code.trim();
    if (l.after <= depth && (code.endsWith(';') || code.endsWith('}') || code.endsWith(','))) return j;
    const next = lines[j + 1];
    if (
      l.after <= depth &&
      next &&
      next.before <= depth &&
      (starts.test(next.code) || next.code.trim() === '')
    )
      return j;
  }
  return end;
}

/** The first line of the doc comment right above line `i` (or `i` when there is none). */
function docStart(lines: Line[], i: number): number {
  let j = i - 1;
  if (j < 0 || !lines[j]!.text.trim().endsWith('*/')) return i;
  while (j >= 0 && !lines[j]!.text.trim().startsWith('/**') && !lines[j]!.text.trim().startsWith('/*')) j--;
  return j >= 0 ? j : i;
}

/** Lines without their common indentation (a doc comment's ` * ` lines keep their one space). */
function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const first = lines.find((l) => l.trim());
  // A doc comment's inner lines are indented one more than its `/**`; measure from the opener.
  const min = first?.trim().startsWith('/*')
    ? first.length - first.trimStart().length
    : Math.min(...indents, 1e9);
  return lines.map((l) => (l.slice(0, min).trim() === '' ? l.slice(min) : l.trimStart())).join('\n');
}

function cut(text: string): string {
  return text.length > MAX_CHUNK_CHARS ? `${text.slice(0, MAX_CHUNK_CHARS)}\n…` : text;
}
