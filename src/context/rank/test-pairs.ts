/** Which files are tests, and which file a test tests (by name: `foo.py` ↔ `test_foo.py`). */

const TEST_DIR = /(^|\/)(tests?|spec|specs|__tests__|testing)\//i;
const TEST_NAME = /^test[_-]|[_.-](test|tests|spec)$|[a-z0-9](Test|Tests|Spec)$/;
/** A name shared by more files than this (`index`, `__init__`, `mod`) pairs nothing. */
const MAX_PARTNERS = 3;

/** True for a path that is a test by its folder or its name. */
export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_NAME.test(nameStem(path));
}

/** A file name without its extension: `src/a/user_auth.test.ts` → user_auth.test. */
function nameStem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** What a file and its tests share: `test_foo.py`, `foo_test.go`, `FooTest.java`, `foo.spec.ts` → foo. */
export function pairKey(path: string): string {
  const ext = path.slice(path.lastIndexOf('.'));
  const stem = nameStem(path)
    .replace(/^test[_-]/, '')
    .replace(/[_.-](test|tests|spec)$/, '')
    .replace(/([a-z0-9])(Test|Tests|Spec)$/, '$1');
  return `${stem.toLowerCase()}${ext}`;
}

/** The pairs of a project's files, built once per list of paths. */
export interface TestPairs {
  /** A source file's tests, or a test's source files (at most a few: an ambiguous name pairs nothing). */
  partners(path: string): string[];
}

let cached: { paths: readonly string[]; pairs: TestPairs } | null = null;

/** Pairs of `paths` (kept for the same array, which the index hands out per update). */
export function testPairs(paths: readonly string[]): TestPairs {
  if (cached?.paths === paths) return cached.pairs;
  const byKey = new Map<string, string[]>();
  for (const p of paths) {
    const k = pairKey(p);
    const list = byKey.get(k);
    if (list) list.push(p);
    else byKey.set(k, [p]);
  }
  const pairs: TestPairs = {
    partners(path) {
      const test = isTestPath(path);
      const others = (byKey.get(pairKey(path)) ?? []).filter((p) => p !== path && isTestPath(p) !== test);
      return others.length <= MAX_PARTNERS ? others : [];
    },
  };
  cached = { paths, pairs };
  return pairs;
}
