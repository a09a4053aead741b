import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeProject } from './project-understanding.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("project_understanding.md's languages", () => {
  it('names the languages Ralex indexes as text only (Kotlin, Elixir) beside those it parses, and not docs or data', () => {
    const root = mkdtempSync(join(tmpdir(), 'ralex-understanding-'));
    dirs.push(root);
    const text = describeProject(root, [
      'app/src/main/kotlin/Okio.kt',
      'app/src/main/kotlin/Buffer.kt',
      'build.gradle.kts',
      'lib/phoenix/router.ex',
      'test/router_test.exs',
      'tools/Gen.java',
      'README.md',
      'data/fixtures.json',
    ]);
    expect(text).toContain('- kotlin: 3 files');
    expect(text).toContain('- elixir: 2 files');
    expect(text).toContain('- java: 1 files');
    expect(text).not.toMatch(/- (markdown|json)/);
  });
});
