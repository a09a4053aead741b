import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParsedCommandSchema } from '../../command/parsed-command.js';
import { TRIGGER_PHRASES } from '../../command/spoken/trigger-endings.js';
import { SAMPLE_FILES } from './parse-cases.js';
import { parseCommand } from './parse-command.js';

const VOCABULARY = [
  ...'dot slash underscore dash source user auth py t s x app the a in fix open show run tests test no um uh , . ? ! okay please two oh four readme m d'.split(
    ' ',
  ),
  ...TRIGGER_PHRASES,
  'src/app.ts',
  'user_auth.py',
  'lib/paymentService.js',
  'https://x.io/a.js',
];

function invariants(text: string): void {
  const p = parseCommand(text, { files: SAMPLE_FILES });
  expect(ParsedCommandSchema.safeParse(p).success).toBe(true);
  expect(p.text).toBe(text);
  expect(p.autoSubmit).toBe(p.trigger !== null);
  for (const f of p.files) expect(SAMPLE_FILES).toContain(f);
  for (const m of p.mentions) {
    if (m.resolved) expect(m.candidates).toContain(m.resolved);
    for (const c of m.candidates) expect(SAMPLE_FILES).toContain(c);
  }
  expect(p.files).toEqual([...new Set(p.mentions.flatMap((m) => (m.resolved ? [m.resolved] : [])))]);
}

describe('parseCommand invariants', () => {
  it('holds for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), invariants), { numRuns: 400 });
  });

  it('holds for commands made of the words it cares about', () => {
    const sentence = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 25 }).map((w) => w.join(' '));
    fc.assert(fc.property(sentence, invariants), { numRuns: 1500 });
  });
});
