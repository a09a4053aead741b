import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { listProjectFiles } from './project-files.js';
import { openProjectIndex, type ProjectIndex } from './project-index.js';

describe('project files', () => {
  let repo: TempGitRepo;
  let index: ProjectIndex | undefined;
  afterEach(async () => {
    index?.close();
    index = undefined;
    await repo?.cleanup();
  });

  it('lists every file of a project larger than 100,000 files (the old silent cap), names in any script whole', async () => {
    repo = await createTempGitRepo({ files: { '.gitignore': 'build/\n' } });
    // 100,500 untracked files in 201 folders, every name with multi-byte characters so the
    // streamed listing's chunks end inside one many times; plus ignored ones that must not count.
    const expected = new Set<string>(['.gitignore']);
    for (let d = 0; d < 201; d++) {
      const dir = `pkg-${d}/modülé`;
      mkdirSync(join(repo.dir, dir), { recursive: true });
      for (let i = 0; i < 500; i++) {
        const path = `${dir}/fïle-${i}-数据.txt`;
        writeFileSync(join(repo.dir, path), '');
        expected.add(path);
      }
    }
    mkdirSync(join(repo.dir, 'build'));
    for (let i = 0; i < 50; i++) writeFileSync(join(repo.dir, 'build', `out-${i}.js`), '');

    const listed = await listProjectFiles(repo.dir);
    expect(listed.leftOut).toBe(0);
    expect(listed.files.length).toBe(expected.size);
    expect(listed.files.every((f) => expected.has(f.path))).toBe(true);
    const paths = listed.files.map((f) => f.path);
    expect([...paths].sort()).toEqual(paths);
  }, 180_000);

  it('past a bound, indexes that many files and says how many it left out, at every later update', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++)
      files[`src/mod${String(i).padStart(2, '0')}.ts`] = `export const v${i} = ${i};\n`;
    repo = await createTempGitRepo({ files });
    index = openProjectIndex(repo.dir, { maxFiles: 20 });
    const first = await index.update();
    expect(first.files).toBe(20);
    expect(first.leftOut).toBe(10);
    expect(index.queries().allPaths()).toHaveLength(20);
    // Nothing changed: the update still says what the index lacks.
    const again = await index.update();
    expect(again.leftOut).toBe(10);
    await repo.write('src/new-file.ts', 'export const fresh = 1;\n');
    const later = await index.update();
    expect(later.leftOut).toBe(11);
    expect(later.files).toBe(20);
  });
});
