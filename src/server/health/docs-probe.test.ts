import { describe, expect, it } from 'vitest';
import { createHealthBoard } from './component-health.js';
import { degradationNotes } from './degradation.js';
import { probeDocs } from './health-probes.js';

const at = (ms: number) => new Date(ms).toISOString();

describe('the docs probe on /health', () => {
  it('is ok when Context7 is off, not asked yet or answered, and names what it saw', () => {
    expect(probeDocs({ state: 'off' }, true, at)).toEqual({
      state: 'ok',
      detail: 'installed docs (Context7 off)',
    });
    expect(probeDocs({ state: 'off' }, false, at).detail).toBe('library docs off');
    expect(probeDocs({ state: 'not asked yet' }, true, at).state).toBe('ok');
    expect(probeDocs({ state: 'answered', at: 0 }, true, at)).toEqual({
      state: 'ok',
      detail: 'Context7 answered at 1970-01-01T00:00:00.000Z',
    });
  });

  it('is degraded while Context7 is paused after failing, and the note says the installed docs stand in', () => {
    const probe = probeDocs({ state: 'paused', at: 0, until: 300_000, why: 'fetch failed' }, true, at);
    expect(probe).toEqual({
      state: 'degraded',
      detail:
        'Context7 could not answer at 1970-01-01T00:00:00.000Z; the installed docs stand in; asked again after 1970-01-01T00:05:00.000Z',
      error: 'fetch failed',
    });
    const board = createHealthBoard();
    board.set('docs', probe, new Date(0));
    expect(degradationNotes(board.snapshot())).toEqual([
      {
        component: 'docs',
        message:
          "Context7 does not answer (fetch failed): commands get the installed libraries' docs instead.",
      },
    ]);
    expect(probeDocs({ state: 'paused', at: 0, until: 1, why: 'x' }, false, at).detail).toContain(
      'no library docs meanwhile (docs.installed is off)',
    );
  });
});
