import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { createCheckpoint } from '../checkpoint/create-checkpoint.js';
import { diffSinceCheckpoint } from '../checkpoint/diff-since-checkpoint.js';
import { checkpointReader } from './checkpoint-reader.js';
import { findTestEdits, weakensTests } from './test-edits.js';

const TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { add } from '../src/math.js';

test('adds', () => {
  assert.equal(add(2, 3), 5);
});
`;
const FILES = {
  'package.json': `${JSON.stringify({ name: 'm', type: 'module', scripts: { test: 'node --test', build: 'tsc' }, dependencies: {} }, null, 2)}\n`,
  'src/math.js': 'export const add = (a, b) => a - b;\n',
  'test/math.test.js': TEST,
  'tests/test_calc.py': 'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n',
  Makefile: 'build:\n\ttsc\n\ntest:\n\tnode --test\n',
  'scripts/check.sh': 'node --test\n',
  'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n',
};

let repo: TempGitRepo;
afterEach(async () => repo?.cleanup());

/** Applies `edit` to a real repository after a checkpoint and reads the test edits from the real diff. */
async function editsAfter(edit: (r: TempGitRepo) => Promise<void>, files: Record<string, string> = FILES) {
  repo = await createTempGitRepo({ files });
  const checkpoint = await createCheckpoint(repo.dir, { label: 'before', id: 'cmd_test' });
  await edit(repo);
  const change = await diffSinceCheckpoint(repo.dir, checkpoint.id);
  return findTestEdits(change, checkpointReader(repo.dir, checkpoint.tree));
}

describe('findTestEdits: what needs the user before a change counts as verified', () => {
  it.each<[string, (r: TempGitRepo) => Promise<void>, { testFiles?: string[]; runnerFiles?: string[] }]>([
    [
      'an assertion flipped',
      (r) => r.write('test/math.test.js', TEST.replace('5);', '-1);')),
      { testFiles: ['test/math.test.js'] },
    ],
    [
      'an assertion deleted',
      (r) => r.write('test/math.test.js', TEST.replace('  assert.equal(add(2, 3), 5);\n', '')),
      { testFiles: ['test/math.test.js'] },
    ],
    [
      'a test file deleted',
      (r) => rm(join(r.dir, 'tests/test_calc.py')),
      { testFiles: ['tests/test_calc.py'] },
    ],
    [
      'a test skipped by an added line',
      (r) => r.write('test/math.test.js', TEST.replace("test('adds'", "test.skip('adds'")),
      { testFiles: ['test/math.test.js'] },
    ],
    [
      'a pytest skip marker added',
      (r) =>
        r.write(
          'tests/test_calc.py',
          `import pytest\n${FILES['tests/test_calc.py'].replace('def test_add', '@pytest.mark.skip\ndef test_add')}`,
        ),
      { testFiles: ['tests/test_calc.py'] },
    ],
    [
      'assert replaced by a no-op, lines only added',
      (r) => r.write('test/math.test.js', `${TEST}assert.equal = () => {};\n`),
      { testFiles: ['test/math.test.js'] },
    ],
    [
      'scripts.test rewritten to echo ok',
      (r) => r.write('package.json', FILES['package.json'].replace('node --test', 'echo ok')),
      { runnerFiles: ['package.json'] },
    ],
    [
      'a pretest script added',
      (r) =>
        r.write(
          'package.json',
          FILES['package.json'].replace('"build": "tsc"', '"build": "tsc",\n    "pretest": "exit 0"'),
        ),
      { runnerFiles: ['package.json'] },
    ],
    [
      'a conftest.py added',
      (r) => r.write('conftest.py', 'def pytest_collection_modifyitems(items):\n    items.clear()\n'),
      { runnerFiles: ['conftest.py'] },
    ],
    [
      'a vitest config added',
      (r) => r.write('vitest.config.ts', 'export default { test: { include: [] } };\n'),
      { runnerFiles: ['vitest.config.ts'] },
    ],
    [
      'the Makefile test target changed',
      (r) => r.write('Makefile', FILES.Makefile.replace('\tnode --test', '\ttrue')),
      { runnerFiles: ['Makefile'] },
    ],
    [
      'the pytest section of pyproject.toml changed',
      (r) => r.write('pyproject.toml', FILES['pyproject.toml'].replace('-q', '-q -k nothing')),
      { runnerFiles: ['pyproject.toml'] },
    ],
    [
      'a new test file with .only',
      (r) => r.write('test/only.test.js', "import { test } from 'node:test';\ntest.only('x', () => {});\n"),
      { runnerFiles: ['test/only.test.js'] },
    ],
  ])('%s', async (_what, edit, expected) => {
    const edits = await editsAfter(edit);
    expect(edits.testFiles).toEqual(expected.testFiles ?? []);
    expect(edits.runnerFiles).toEqual(expected.runnerFiles ?? []);
    expect(weakensTests(edits)).toBe(true);
    expect(edits.details.length).toBeGreaterThan(0);
  });

  it('counts a script the test command runs as part of the runner', async () => {
    const files = {
      ...FILES,
      'package.json': FILES['package.json'].replace('node --test', 'bash scripts/check.sh'),
    };
    const edits = await editsAfter((r) => r.write('scripts/check.sh', 'exit 0\n'), files);
    expect(edits.runnerFiles).toEqual(['scripts/check.sh']);
  });

  it.each<[string, (r: TempGitRepo) => Promise<void>]>([
    ['a source fix', (r) => r.write('src/math.js', 'export const add = (a, b) => a + b;\n')],
    [
      'a new test added to an existing test file',
      (r) =>
        r.write(
          'test/math.test.js',
          `${TEST}\ntest('adds zero', () => {\n  assert.equal(add(2, 0), 2);\n});\n`,
        ),
    ],
    ['a new test file', (r) => r.write('test/more.test.js', TEST)],
    [
      'a dependency added to package.json',
      (r) =>
        r.write(
          'package.json',
          FILES['package.json'].replace(
            '"dependencies": {}',
            '"dependencies": {\n    "left-pad": "1.3.0"\n  }',
          ),
        ),
    ],
    [
      'the build target of the Makefile changed',
      (r) => r.write('Makefile', FILES.Makefile.replace('\ttsc', '\ttsc -p .')),
    ],
    [
      'the project section of pyproject.toml changed',
      (r) => r.write('pyproject.toml', FILES['pyproject.toml'].replace('name = "x"', 'name = "y"')),
    ],
  ])('needs no approval for %s', async (_what, edit) => {
    const edits = await editsAfter(edit);
    expect(edits).toEqual({ testFiles: [], runnerFiles: [], details: [] });
    expect(weakensTests(edits)).toBe(false);
  });
});
