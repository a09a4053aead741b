/** Characters that look like `.`, `/`, `\` or `~` but are not, and survive NFKC normalisation. */
const CONFUSABLES =
  /[\u2215\u2044\u29f8\u2571\u29f5\u29f9\u2216\u2024\u2025\u2026\ufe52\uff0e\uff0f\uff3c\ufe68\u02dc\u223c\uff5e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]|\u0338/u;

/** Why a path was rejected before resolution, or the readings of it to check. */
export type PathReadings = { ok: true; readings: string[] } | { ok: false; rule: string; reason: string };

/**
 * Turns a raw path into every reading a tool or a later layer might give it: as written,
 * URL-decoded (`%2e%2e`), and with `\` as a separator. Each reading must stay inside the
 * project. Rejects NUL bytes, Unicode look-alikes of path syntax and text that NFKC
 * normalisation would change (fullwidth dots and slashes, one-dot leaders, ...).
 */
export function pathReadings(input: string): PathReadings {
  if (input.length === 0) return { ok: false, rule: 'hard:invalid-path', reason: 'The path is empty.' };
  if (input.includes('\0'))
    return { ok: false, rule: 'hard:invalid-path', reason: 'The path contains a NUL byte.' };
  if (CONFUSABLES.test(input) || input.normalize('NFKC') !== input.normalize('NFC')) {
    const shown = input.normalize('NFKC');
    return {
      ok: false,
      rule: 'hard:unicode-lookalike',
      reason: `The path "${input}" uses Unicode look-alike characters (it normalises to "${shown}"); write it with plain characters.`,
    };
  }
  const readings = new Set([input]);
  let decoded = input;
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      decoded = decoded.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) =>
        String.fromCharCode(Number.parseInt(h, 16)),
      );
    }
    readings.add(decoded);
  }
  if (decoded !== input && (decoded.includes('\0') || CONFUSABLES.test(decoded))) {
    return {
      ok: false,
      rule: 'hard:encoded-path',
      reason: `The path "${input}" decodes to "${decoded}", which hides path syntax.`,
    };
  }
  for (const r of [...readings]) if (r.includes('\\')) readings.add(r.replace(/\\/g, '/'));
  return { ok: true, readings: [...readings] };
}
