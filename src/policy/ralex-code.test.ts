import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRalexCode, ralexCodeIn, runningInstallRoots } from './ralex-code.js';

const checkout = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));

describe('the running Ralex code inside a project', () => {
  it('finds the running install from the code itself: this checkout', () => {
    expect(runningInstallRoots()).toContain(checkout);
  });

  it("in Ralex's own checkout: its node_modules read-only, its dist throw-away, its sources free", () => {
    const code = ralexCodeIn(checkout);
    expect(code).toEqual({ readOnly: [join(checkout, 'node_modules')], throwaway: [join(checkout, 'dist')] });
    expect(isRalexCode(join(checkout, 'dist/bundle/main.js'), code)).toBe(true);
    expect(isRalexCode(join(checkout, 'node_modules/.bin/ralex'), code)).toBe(true);
    expect(isRalexCode(join(checkout, 'src/policy/ralex-code.ts'), code)).toBe(false);
    expect(isRalexCode(join(checkout, 'distribution.md'), code)).toBe(false);
  });

  it('installed in a project: every node_modules it loads from, up to the project root', () => {
    const code = ralexCodeIn('/p', ['/p/node_modules/ralex']);
    expect(code.readOnly.sort()).toEqual(['/p/node_modules', '/p/node_modules/ralex/node_modules']);
    expect(code.throwaway).toEqual([]);
    expect(isRalexCode('/p/node_modules/ralex/dist/bundle/main.js', code)).toBe(true);
    expect(isRalexCode('/p/node_modules/better-sqlite3/lib/index.js', code)).toBe(true);
    expect(isRalexCode('/p/src/node_modules.ts', code)).toBe(false);
  });

  it('a workspace package: stops at the project root, never above it', () => {
    const code = ralexCodeIn('/mono/apps', ['/mono/apps/tools/ralex']);
    expect(code.readOnly.sort()).toEqual([
      '/mono/apps/node_modules',
      '/mono/apps/tools/node_modules',
      '/mono/apps/tools/ralex/node_modules',
    ]);
    expect(code.throwaway).toEqual(['/mono/apps/tools/ralex/dist']);
  });

  it('nothing when Ralex runs from outside the project (a global install, a linked copy)', () => {
    expect(ralexCodeIn('/work/project', ['/usr/lib/node_modules/ralex'])).toEqual({
      readOnly: [],
      throwaway: [],
    });
    expect(ralexCodeIn('/work/project', ['/work/project-two'])).toEqual({ readOnly: [], throwaway: [] });
  });
});
