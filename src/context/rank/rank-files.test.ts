import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { openProjectIndex, type ProjectIndex } from '../index/project-index.js';
import { LEARNED_RANKING } from './learned-ranking.js';
import { COMBINE, rankFiles, rankFilesLearned, SIGNAL_WEIGHTS } from './rank-files.js';

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

  it('finds a file by a word of the command that is a definition’s whole name, and what changes with the last commits, each saying why', async () => {
    repo = await createTempGitRepo({
      files: {
        ...FILES,
        'src/auth/session.ts': 'export class Session {\n  expire(): void {}\n}\n',
        'src/auth/tokens.ts': 'export const TTL = 60;\n',
      },
    });
    index = openProjectIndex(repo.dir);
    await index.update();
    // routes.ts changed last; before the last five commits it changed with tokens.ts three times.
    const history = [
      { subject: 'Add a health route', files: ['src/server/routes.ts'] },
      ...[1, 2, 3, 4].map((n) => ({ subject: `Login ${n}`, files: ['src/auth/login.ts'] })),
      ...[1, 2, 3].map((n) => ({
        subject: `Routes and tokens ${n}`,
        files: ['src/server/routes.ts', 'src/auth/tokens.ts'],
      })),
    ];
    const input = {
      request: 'stop the session from expiring early',
      intent: 'fix',
      files: [],
      candidates: [],
      session: [],
      diffFiles: [],
    };
    const weights = { ...SIGNAL_WEIGHTS, lexical: 0, similar: 0, prior: 0, symbolWord: 2, recentCo: 1 };
    const ranked = rankFiles(index.queries(), history, input, repo.dir, weights);
    const session = ranked.find((r) => r.file.path === 'src/auth/session.ts');
    expect(session?.reasons).toContain('defines `Session`, a word of the command');
    expect(session?.signals?.symbolWord).toBeGreaterThan(0);
    const tokens = ranked.find((r) => r.file.path === 'src/auth/tokens.ts');
    expect(tokens?.reasons).toContain(
      'usually changes with src/server/routes.ts, changed in the last commits',
    );
    // Neither fires at weight 0.
    const off = rankFiles(index.queries(), history, input, repo.dir, {
      ...weights,
      symbolWord: 0,
      recentCo: 0,
    });
    expect(off.some((r) => r.signals?.symbolWord || r.signals?.recentCo)).toBe(false);
  });

  it('can add to each signal’s points a share of its weight by the file’s place among that signal’s files, the first keeping its points', async () => {
    // Enough other files that a word two files share is rare (a word in half the files has no weight in BM25).
    const others = Object.fromEntries(
      ['billing', 'invoice', 'report', 'mailer', 'upload', 'search'].map((w) => [
        `src/${w}/${w}.ts`,
        `export function ${w}Handler() { return '${w}'; }\n`,
      ]),
    );
    repo = await createTempGitRepo({ files: { ...FILES, ...others } });
    index = openProjectIndex(repo.dir);
    await index.update();
    const input = {
      request: 'make the lru cache evict the oldest entry',
      intent: 'fix',
      files: [],
      candidates: [],
      session: [],
      diffFiles: [],
    };
    // The words alone: lru-cache.ts matches best, its test second.
    const weights = { ...SIGNAL_WEIGHTS, similar: 0, prior: 0, recent: 0, coChange: 0, symbolSpoken: 0 };
    const sum = rankFiles(index.queries(), [], input, repo.dir, weights);
    expect(COMBINE.place).toBe(0);
    const on = { ...COMBINE, place: 2 };
    const placed = rankFiles(index.queries(), [], input, repo.dir, weights, undefined, on);
    expect(sum.slice(0, 2).map((r) => r.file.path)).toEqual([
      'src/cache/lru-cache.ts',
      'src/cache/lru-cache.test.ts',
    ]);
    expect(placed.map((r) => r.file.path)).toEqual(sum.map((r) => r.file.path));
    const best = sum[0]!.signals!.lexical!;
    sum.forEach((r, i) => {
      const points = r.signals!.lexical!;
      const byPlace =
        points < on.floor * best ? 0 : on.place * weights.lexical * (on.placeK / (on.placeK + i));
      expect(placed[i]!.signals?.lexical).toBeCloseTo((points + byPlace) / (1 + on.place), 3);
      expect(r.score).toBeCloseTo(points, 2);
    });
    expect(placed[0]!.score).toBeCloseTo(sum[0]!.score, 2);
  });

  it('ranks a changelog that mentions everything below the code, unless the command names it, and can give recency only to files more than history found', async () => {
    const others = Object.fromEntries(
      ['billing', 'invoice', 'report', 'mailer', 'upload', 'search'].map((w) => [
        `src/${w}/${w}.ts`,
        `export function ${w}Handler() { return '${w}'; }\n`,
      ]),
    );
    const changelog =
      '# Changes\n\n- The LRU cache evicts the oldest entry first.\n- Evict on size.\n- LRU cache: evict, evict.\n';
    repo = await createTempGitRepo({ files: { ...FILES, ...others, 'CHANGES.md': changelog } });
    index = openProjectIndex(repo.dir);
    await index.update();
    const input = {
      request: 'explain how the lru cache evicts the oldest entry',
      intent: 'explain',
      files: [] as string[],
      candidates: [],
      session: [],
      diffFiles: [],
    };
    const history = [{ subject: 'Tidy the mailer', files: ['src/mailer/mailer.ts'] }];
    const ranked = rankFiles(index.queries(), history, input, repo.dir);
    const place = (path: string) => ranked.findIndex((r) => r.file.path === path);
    expect(place('src/cache/lru-cache.ts')).toBe(0);
    expect(place('CHANGES.md')).toBeGreaterThan(place('src/cache/lru-cache.ts'));
    const undamped = rankFiles(index.queries(), history, input, repo.dir, undefined, undefined, {
      ...COMBINE,
      changelog: 1,
    });
    const score = (list: typeof ranked, path: string) => list.find((r) => r.file.path === path)!.score;
    expect(score(ranked, 'CHANGES.md')).toBeCloseTo(COMBINE.changelog * score(undamped, 'CHANGES.md'), 2);
    const named = rankFiles(index.queries(), history, { ...input, files: ['CHANGES.md'] }, repo.dir);
    expect(named[0]!.file.path).toBe('CHANGES.md');
    // The mailer only changed lately: the prior finds it and recency orders it; with
    // `recentOnPrior` 0 recency adds nothing to what the prior alone found.
    const mailer = ranked.find((r) => r.file.path === 'src/mailer/mailer.ts')!;
    expect(Object.keys(mailer.signals ?? {}).sort()).toEqual(['prior', 'recent']);
    const priorOnly = rankFiles(index.queries(), history, input, repo.dir, undefined, undefined, {
      ...COMBINE,
      recentOnPrior: 0,
    }).find((r) => r.file.path === 'src/mailer/mailer.ts')!;
    expect(Object.keys(priorOnly.signals ?? {})).toEqual(['prior']);
  });
});
