import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { openProjectIndex, type ProjectIndex } from '../index/project-index.js';
import { LEARNED_RANKING } from './learned-ranking.js';
import { rankFiles, rankFilesLearned } from './rank-files.js';

const FILES: Record<string, string> = {
  'src/cache/lru-cache.ts':
    'export class LRUCache {\n  /** Drops the least recently used entry. */\n  evictOldest(): void {}\n}\n',
  'src/cache/lru-cache.test.ts':
    'import { LRUCache } from "./lru-cache";\ntest("evicts", () => new LRUCache());\n',
  'src/server/routes.ts': 'export function makeRoutes() { return []; }\n',
  'src/auth/login.ts': 'export function login(user: string) { return user; }\n',
};

describe('rankFilesLearned', () => {
  let repo: TempGitRepo;
  let index: ProjectIndex;
  afterEach(async () => {
    index?.close();
    await repo?.cleanup();
  });

  it('scores each file as 10 × sigmoid of its signals’ shares, and its reasons name the signals that raised it', async () => {
    repo = await createTempGitRepo({ files: FILES });
    await repo.write('src/auth/login.ts', 'export function login(user: string) { return user.trim(); }\n');
    await repo.commitAll('Trim the user name at login');
    index = openProjectIndex(repo.dir);
    await index.update();
    const history = [
      { subject: 'Trim the user name at login', files: ['src/auth/login.ts'] },
      { subject: 'First version', files: Object.keys(FILES) },
    ];
    const input = {
      request: 'make the lru cache evict the oldest entry',
      intent: 'fix',
      files: ['src/server/routes.ts'],
      candidates: [],
      session: [],
      diffFiles: [],
    };
    const ranked = rankFilesLearned(index.queries(), history, input, repo.dir);
    // The named file first, then the cache the words point at.
    expect(ranked[0]!.file.path).toBe('src/server/routes.ts');
    expect(ranked[0]!.reasons[0]).toBe('named in the command');
    expect(ranked.slice(1, 3).map((r) => r.file.path)).toContain('src/cache/lru-cache.ts');
    for (const r of ranked) {
      const shares = Object.values(r.signals ?? {}).reduce((s, v) => s + (v ?? 0), 0);
      expect(r.score).toBeCloseTo(10 / (1 + Math.exp(-(LEARNED_RANKING.bias + shares))), 1);
      expect(r.reasons.length).toBeGreaterThan(0);
      const lexical = r.reasons.some((x) => x.startsWith('matches'));
      if (lexical) expect(r.signals?.lexical ?? 0).toBeGreaterThan(0);
    }
    // The ranking Ralex uses (hand-set weights) finds the same files, the named one first.
    const byHand = rankFiles(index.queries(), history, input, repo.dir);
    expect(byHand[0]!.reasons).toContain('named in the command');
    expect(new Set(byHand.map((r) => r.file.path))).toEqual(new Set(ranked.map((r) => r.file.path)));
  });
});
