import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinStandards, PREBUILT_FILE, parseBuiltinStandards } from './builtin-standards.js';

describe('the built-in standards', () => {
  it('are read from their markdown when no prebuilt file is beside them (running from the sources)', () => {
    const parsed = parseBuiltinStandards();
    expect(parsed.map((s) => s.id)).toContain('builtin:testing');
    expect(parsed.every((s) => s.content.length > 0 && !s.content.startsWith('---'))).toBe(true);
    expect(builtinStandards()).toEqual(parsed);
  });

  it('are prebuilt by the build exactly as parsing the built markdown gives them', async () => {
    const dist = fileURLToPath(new URL('../../dist/standards/', import.meta.url));
    expect(existsSync(`${dist}builtin/${PREBUILT_FILE}`), 'run `npm run build` first').toBe(true);
    const prebuilt = JSON.parse(readFileSync(`${dist}builtin/${PREBUILT_FILE}`, 'utf8')) as unknown;
    const built = (await import(`${dist}builtin-standards.js`)) as typeof import('./builtin-standards.js');
    expect(prebuilt).toEqual(built.parseBuiltinStandards());
    expect(prebuilt).toEqual(parseBuiltinStandards());
  });
});
