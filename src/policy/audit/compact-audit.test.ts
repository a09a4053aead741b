import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { type AuditFiles, auditFilesIn } from './audit-files.js';
import { createAuditTrail } from './audit-trail.js';
import { canonicalJson } from './canonical-json.js';
import { verifyAuditTrail } from './verify-audit-trail.js';

// A real trail (SQLite file, key file, head file) compacted by Ralex, then tampered with by
// someone who can write the database but not read the key: verify must still tell.

let dir: string;
let dbFile: string;
let files: AuditFiles;
let minute = 0;
/** One entry a minute from 2026-01-01 00:00 UTC. */
const clock = () => new Date(Date.UTC(2026, 0, 1, 0, minute++));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ralex-compact-'));
  dbFile = join(dir, 'ralex.db');
  files = auditFilesIn(dir);
  minute = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function withTrail<T>(work: (trail: ReturnType<typeof createAuditTrail>) => T): T {
  const db = openDatabase(dbFile);
  try {
    const trail = createAuditTrail(db, clock, files);
    const out = work(trail);
    trail.flush();
    return out;
  } finally {
    db.close();
  }
}
const append = (n: number) =>
  withTrail((trail) => {
    for (let i = 0; i < n; i++) trail.append({ kind: i % 2 ? 'tool_call' : 'decision', body: { i } });
  });
const verify = () => {
  const db = openDatabase(dbFile);
  try {
    return verifyAuditTrail(db, files, { database: dbFile });
  } finally {
    db.close();
  }
};
const raw = () => new Database(dbFile);
const seqs = () => {
  const db = raw();
  try {
    return (db.prepare('SELECT seq FROM audit_log ORDER BY seq').all() as { seq: number }[]).map(
      (r) => r.seq,
    );
  } finally {
    db.close();
  }
};

describe('audit compaction', () => {
  it('drops old entries behind a sealed epoch, and the rest still verifies as intact', () => {
    append(100); // genesis #1 at 00:00, entries #2..#101 at 00:01..01:40
    const done = withTrail((trail) =>
      trail.compact('2026-01-01T01:00:00.000Z', 'retention.audit_days: test'),
    );
    expect(done?.dropped).toMatchObject({
      from: 1,
      through: 60,
      entries: 60,
      rule: 'retention.audit_days: test',
    });
    expect(done?.dropped.kinds).toEqual({ epoch: 1, decision: 30, tool_call: 29 });
    expect(done?.found).toEqual([]);
    expect(seqs()[0]).toBe(61);
    const v = verify();
    expect(v.status).toBe('intact');
    expect(v.findings).toEqual([]);
    // Appending and compacting again goes on from the new start.
    append(5);
    expect(withTrail((t) => t.compact('2026-01-01T01:30:00.000Z', 'test'))?.dropped.from).toBe(61);
    expect(verify().status).toBe('intact');
  });

  it('keeps in the epoch what was wrong with the entries it dropped, so verify still reports it', () => {
    append(50);
    const db = raw();
    db.prepare('UPDATE audit_log SET body_json = \'{"i":999}\' WHERE seq = 10').run();
    db.close();
    const done = withTrail((trail) => trail.compact('2026-01-01T00:30:00.000Z', 'test'));
    expect(done?.found.map((f) => f.code)).toEqual(['row_edited']);
    const v = verify();
    expect(v.status).toBe('tampered');
    expect(v.findings.find((f) => f.code === 'row_edited')?.message).toMatch(/Before compaction, entry #10/);
  });

  it('tells entries deleted after a compaction, and a deleted compaction epoch', () => {
    append(50);
    withTrail((trail) => trail.compact('2026-01-01T00:30:00.000Z', 'test'));
    append(10);
    const first = seqs()[0]!;
    const db = raw();
    db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(first + 2);
    db.close();
    expect(verify().findings.map((f) => f.code)).toContain('row_deleted');

    const again = raw();
    again.prepare("DELETE FROM audit_log WHERE kind = 'epoch' AND body_json LIKE '%compaction%'").run();
    again.close();
    const v = verify();
    expect(v.status).toBe('tampered');
    expect(v.findings.length).toBeGreaterThan(0);
  });

  it('refuses a compaction epoch written without the key', () => {
    append(50);
    const db = raw();
    const keyless = Buffer.alloc(32, 7);
    const tail = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const mac40 = (db.prepare('SELECT hash FROM audit_log WHERE seq = 40').get() as { hash: string }).hash;
    const body = {
      reason: 'compaction',
      scheme: 'hmac-sha256',
      trail: 'x',
      keyId: 'x',
      dropped: {
        from: 1,
        through: 40,
        entries: 40,
        firstTs: '',
        lastTs: '',
        lastMac: mac40,
        kinds: {},
        rule: 'forged',
      },
    };
    const seq = tail.seq + 1;
    const ts = '2026-01-02T00:00:00.000Z';
    const fields = { seq, ts, session_id: null, command_id: null, kind: 'epoch', body };
    const hash = createHmac('sha256', keyless)
      .update('ralex.audit.entry.v2\n')
      .update(tail.hash)
      .update(canonicalJson(fields))
      .digest('hex');
    db.prepare(
      'INSERT INTO audit_log (seq, ts, session_id, command_id, kind, body_json, prev_hash, hash) VALUES (?, ?, NULL, NULL, ?, ?, ?, ?)',
    ).run(seq, ts, 'epoch', canonicalJson(body), tail.hash, hash);
    db.prepare('DELETE FROM audit_log WHERE seq <= 40').run();
    db.close();
    const v = verify();
    expect(v.status).toBe('tampered');
    // Without a compaction epoch that verifies, the table must start at #1 with the genesis.
    expect(
      v.findings
        .map((f) => f.code)
        .some((c) => ['row_deleted', 'table_replaced', 'legacy_broken'].includes(c)),
    ).toBe(true);
  });

  it('never drops the last entry, and does nothing when nothing is old enough', () => {
    append(5);
    expect(withTrail((t) => t.compact('2025-01-01T00:00:00.000Z', 'test'))).toBeNull();
    const done = withTrail((t) => t.compact('2030-01-01T00:00:00.000Z', 'test'));
    // Genesis #1 and entries #2..#6: all but the last go, and the epoch follows it.
    expect(done?.dropped.through).toBe(5);
    expect(seqs()).toEqual([6, 7]);
    expect(verify().status).toBe('intact');
  });
});
