/** word-value.ts's DYNAMIC mark (a part only known at run time); not imported, so word-value can use this file. */
const DYNAMIC = '\u0000';

/** The one-letter escapes echo -e, printf and bash's $'...' share (word-value.ts adds $'...''s `\?`). */
export const LETTER_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const ESCAPE = /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|0[0-7]{0,3}|[1-7][0-7]{0,2}|c|.)/s;

/** One escape's text (without its backslash) decoded; `null` for `\c`, which ends the output. */
function decodeEscape(esc: string, echo: boolean): string | null {
  const c = esc[0]!;
  if (c === 'c') return null;
  if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
  // echo -e reads octal only as \0NNN; printf also as \NNN.
  if (c === '0') return String.fromCharCode(Number.parseInt(esc.slice(1) || '0', 8) & 0xff);
  if (/[1-7]/.test(c)) return echo ? `\\${esc}` : String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
  return LETTER_ESCAPES[c] ?? `\\${esc}`;
}

/** Decodes the escapes of `echo -e` text or a `%b` value; `stop` when `\c` ended it. */
function decodeEscapes(text: string): { text: string; stop: boolean } {
  let out = '';
  const re = new RegExp(ESCAPE.source, 'gs');
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += text.slice(last, m.index);
    const d = decodeEscape(m[1]!, true);
    if (d === null) return { text: out, stop: true };
    out += d;
    last = m.index + m[0].length;
  }
  return { text: out + text.slice(last), stop: false };
}

/**
 * What `echo` or `printf` prints when every word is literal (trailing newlines removed, as a
 * command substitution would), or null when it is not one of them or something is only known
 * at run time. Escapes are decoded the way each program does (`printf '\x72\x6d'` prints `rm`).
 */
export function literalOutput(argv: readonly string[]): string | null {
  if (argv.some((a) => a.includes(DYNAMIC))) return null;
  const [name, ...args] = argv;
  if (name === 'echo') {
    let escapes = false;
    let i = 0;
    for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
      for (const f of args[i]!.slice(1)) if (f !== 'n') escapes = f === 'e';
    }
    const text = args.slice(i).join(' ');
    return (escapes ? decodeEscapes(text).text : text).replace(/\n+$/, '');
  }
  if (name === 'printf') {
    let rest = args;
    if (rest[0] === '--') rest = rest.slice(1);
    if (rest[0] === '-v') return '';
    const [format, ...values] = rest;
    if (format === undefined) return null;
    return printf(format, values)?.replace(/\n+$/, '') ?? null;
  }
  return null;
}

/** printf's output for a format of escapes and %s %b %d %i %u %c %% directives; null for others. */
function printf(format: string, values: string[]): string | null {
  const token = new RegExp(`${ESCAPE.source}|%([-+ #0]*\\d*(?:\\.\\d+)?)([sbdiuc%])?`, 'gs');
  let out = '';
  let next = 0;
  for (let round = 0; round < 64; round++) {
    const used = next;
    let last = 0;
    for (const m of format.matchAll(token)) {
      out += format.slice(last, m.index);
      last = m.index + m[0].length;
      if (m[1] !== undefined) {
        const d = decodeEscape(m[1], false);
        if (d === null) return out;
        out += d;
        continue;
      }
      const kind = m[3];
      if (kind === undefined) return null;
      if (kind === '%') {
        out += '%';
        continue;
      }
      const value = values[next++] ?? '';
      if (kind === 'b') {
        const d = decodeEscapes(value);
        out += d.text;
        if (d.stop) return out;
      } else out += kind === 'c' ? value.slice(0, 1) : value;
    }
    out += format.slice(last);
    if (next === used || next >= values.length) break;
  }
  return out;
}
