import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RalexError } from '../../errors.js';
import { type Db, openDatabase } from '../../store/database.js';
import { computeAuditHash, GENESIS_HASH } from './audit-entry.js';
import { type AuditTrail, createAuditTrail } from './audit-trail.js';
import { canonicalJson } from './canonical-json.js';

let dir: string;
let db: Db;
let trail: AuditTrail;
let tick = 0;
const clock = () => new Date(Date.UTC(2026, 0, 1, 12, 0, tick++));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ralex-audit-'));
  db = openDatabase(join(dir, 'ralex.db'));
  tick = 0;
  trail = createAuditTrail(db, clock);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const fill = (n = 5) => {
  for (let i = 1; i <= n; i++) {
    trail.append({
      kind: i % 2 ? 'decision' : 'tool_call',
      sessionId: 'ses_1',
      commandId: `cmd_${i}`,
      body: { n: i, note: `entry ${i}` },
    });
  }
};
const sql = (text: string, ...params: unknown[]) => db.prepare(text).run(...params);

describe('audit trail: appending', () => {
  it('chains entries from the genesis hash with the documented formula', () => {
    const first = trail.append({
      kind: 'command',
      sessionId: 's',
      commandId: 'c',
      body: { text: 'run the tests', z: 1, a: [1, { y: 2, x: 1 }] },
    });
    expect(first).toMatchObject({
      seq: 1,
      ts: '2026-01-01T12:00:00.000Z',
      prevHash: GENESIS_HASH,
      kind: 'command',
    });
    const canonical =
      '{"body":{"a":[1,{"x":1,"y":2}],"text":"run the tests","z":1},"command_id":"c","kind":"command","seq":1,"session_id":"s","ts":"2026-01-01T12:00:00.000Z"}';
    expect(first.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonical)
        .digest('hex'),
    );
    const second = trail.append({ kind: 'commit', body: { sha: 'abc' } });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, sessionId: null, commandId: null });
    expect(trail.read().map((e) => e.seq)).toEqual([1, 2]);
    expect(trail.read({ afterSeq: 1 })[0]?.body).toEqual({ sha: 'abc' });
  });

  it('verifies an intact log and an empty one', () => {
    expect(trail.verify()).toEqual({ ok: true, entries: 0 });
    fill();
    const result = trail.verify();
    expect(result).toMatchObject({ ok: true, entries: 5 });
    expect(result.headHash).toBe(trail.read().at(-1)?.hash);
  });

  it('rejects a body that is not plain JSON and an unknown kind with bad_request', () => {
    expect(() => trail.append({ kind: 'decision', body: { big: 10n } })).toThrow(RalexError);
    expect(() => trail.append({ kind: 'nonsense' as 'decision', body: {} })).toThrow(/Invalid audit entry/);
    expect(trail.verify()).toEqual({ ok: true, entries: 0 });
  });

  it('keeps one chain when two connections append in turn', () => {
    const other = openDatabase(join(dir, 'ralex.db'));
    try {
      const second = createAuditTrail(other, clock);
      for (let i = 0; i < 10; i++) (i % 2 ? trail : second).append({ kind: 'tool_call', body: { i } });
      expect(trail.verify()).toMatchObject({ ok: true, entries: 10 });
    } finally {
      other.close();
    }
  });
});

describe('audit trail: tampering is detected', () => {
  beforeEach(() => fill());

  it('an edited body', () => {
    sql(`UPDATE audit_log SET body_json = '{"n":3,"note":"nothing to see"}' WHERE seq = 3`);
    expect(trail.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: expect.stringMatching(/altered/),
    });
  });

  it('an edited time', () => {
    sql(`UPDATE audit_log SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = 2`);
    expect(trail.verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('a body that is no longer JSON', () => {
    sql(`UPDATE audit_log SET body_json = 'oops' WHERE seq = 4`);
    expect(trail.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: expect.stringMatching(/not valid JSON/),
    });
  });

  it('an edited entry whose hash was recomputed breaks the link to the next one', () => {
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as {
      prev_hash: string;
      ts: string;
      kind: string;
    };
    const body = { n: 3, note: 'rewritten' };
    const hash = computeAuditHash(row.prev_hash, {
      seq: 3,
      ts: row.ts,
      session_id: 'ses_1',
      command_id: 'cmd_3',
      kind: row.kind,
      body,
    });
    sql('UPDATE audit_log SET body_json = ?, hash = ? WHERE seq = 3', canonicalJson(body), hash);
    expect(trail.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: expect.stringMatching(/does not chain/),
    });
  });

  it('a removed entry in the middle', () => {
    sql('DELETE FROM audit_log WHERE seq = 3');
    expect(trail.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: expect.stringMatching(/entry 3 is missing/),
    });
  });

  it('the first entry removed', () => {
    sql('DELETE FROM audit_log WHERE seq = 1');
    expect(trail.verify()).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('entries cut from the end, even after more are appended', () => {
    sql('DELETE FROM audit_log WHERE seq >= 4');
    expect(trail.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      problem: expect.stringMatching(/removed from the end/),
    });
    trail.append({ kind: 'commit', body: { sha: 'later' } });
    expect(trail.verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('two entries swapped', () => {
    sql('UPDATE audit_log SET seq = 100 WHERE seq = 2');
    sql('UPDATE audit_log SET seq = 2 WHERE seq = 3');
    sql('UPDATE audit_log SET seq = 3 WHERE seq = 100');
    expect(trail.verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('an entry inserted in the middle, correctly hashed onto its predecessor', () => {
    for (const seq of [5, 4, 3]) sql('UPDATE audit_log SET seq = ? WHERE seq = ?', seq + 1, seq);
    const prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = 2').get() as { hash: string }).hash;
    const fields = {
      seq: 3,
      ts: '2026-01-01T12:00:02.500Z',
      session_id: 'ses_1',
      command_id: 'cmd_x',
      kind: 'approval',
      body: { outcome: 'approved' },
    };
    sql(
      'INSERT INTO audit_log (seq, ts, session_id, command_id, kind, body_json, prev_hash, hash) VALUES (3, ?, ?, ?, ?, ?, ?, ?)',
      fields.ts,
      fields.session_id,
      fields.command_id,
      fields.kind,
      canonicalJson(fields.body),
      prev,
      computeAuditHash(prev, fields),
    );
    expect(trail.verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined], c: undefined }, e: new Date(0) })).toBe(
      '{"a":{"d":[3,null]},"b":1,"e":"1970-01-01T00:00:00.000Z"}',
    );
  });
});
