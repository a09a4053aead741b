import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { computeAuditHash, computeAuditMac, GENESIS_HASH } from './audit-entry.js';
import { type AuditFiles, auditFilesIn } from './audit-files.js';
import { createAuditTrail } from './audit-trail.js';
import { canonicalJson } from './canonical-json.js';
import { verifyAuditTrail } from './verify-audit-trail.js';

// Each scenario builds a real trail (SQLite file, key file, head file), tampers with it the way
// someone who can write the database (but not read the key) would — with better-sqlite3
// directly, or by copying files — and asserts that verify names exactly that.

let dir: string;
let dbFile: string;
let files: AuditFiles;
let tick = 0;
const clock = () => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, tick++));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ralex-tamper-'));
  dbFile = join(dir, 'ralex.db');
  files = auditFilesIn(dir);
  tick = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the trail (as a runtime start does), appends `n` entries, closes. */
function appendEntries(n: number, file = dbFile, at = files): void {
  const db = openDatabase(file);
  try {
    const trail = createAuditTrail(db, clock, at);
    for (let i = 1; i <= n; i++) {
      trail.append({
        kind: i % 3 ? 'tool_call' : 'decision',
        sessionId: 'ses_1',
        commandId: `cmd_${i}`,
        body: { i },
      });
    }
    trail.flush();
  } finally {
    db.close();
  }
}
function verify() {
  const db = openDatabase(dbFile);
  try {
    return verifyAuditTrail(db, files, { database: dbFile });
  } finally {
    db.close();
  }
}
/** Tampers with the database through its own better-sqlite3 connection. */
function tamper(work: (db: Database.Database) => void): void {
  const db = new Database(dbFile);
  try {
    work(db);
  } finally {
    db.close();
  }
}
const codes = (result: ReturnType<typeof verify>) => result.findings.map((f) => f.code);
type Row = {
  seq: number;
  ts: string;
  session_id: string | null;
  command_id: string | null;
  kind: string;
  body_json: string;
  prev_hash: string;
  hash: string;
};
const fieldsOf = (r: Row) => ({
  seq: r.seq,
  ts: r.ts,
  session_id: r.session_id,
  command_id: r.command_id,
  kind: r.kind,
  body: JSON.parse(r.body_json),
});
const AUDIT_TABLE = `CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, session_id TEXT, command_id TEXT,
  kind TEXT NOT NULL, body_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

// 10 appends after the genesis epoch: entries #1 (epoch) to #11.
beforeEach(() => appendEntries(10));

describe('audit verify: an untouched trail', () => {
  it('is intact, with the head file at the table’s last entry', () => {
    const result = verify();
    expect(result).toMatchObject({ ok: true, status: 'intact', entries: 11, keyed: true, findings: [] });
    expect(result.headFile).toMatchObject({ seq: 11, mac: result.headHash, verified: true });
  });

  it('stays intact when the head file lags behind (an older, genuine head file put back)', () => {
    const older = readFileSync(files.head);
    appendEntries(3);
    writeFileSync(files.head, older);
    expect(verify()).toMatchObject({ status: 'intact', entries: 14 });
  });
});

describe('audit verify: each kind of tampering is named', () => {
  it('an edited row', () => {
    tamper((db) => db.prepare(`UPDATE audit_log SET body_json = '{"i":99}' WHERE seq = 4`).run());
    const result = verify();
    expect(codes(result)).toEqual(['row_edited']);
    expect(result).toMatchObject({ ok: false, status: 'tampered', firstBadSeq: 4 });
    expect(result.findings[0]).toMatchObject({ seq: 4, lastSeq: 4, file: dbFile });
    expect(result.findings[0]?.message).toMatch(/^Entry #4 .*was edited/);
  });

  it('an edited time or kind, and a body that is no longer JSON', () => {
    tamper((db) => {
      db.prepare(`UPDATE audit_log SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = 3`).run();
      db.prepare(`UPDATE audit_log SET kind = 'command' WHERE seq = 6`).run();
      db.prepare(`UPDATE audit_log SET body_json = 'oops' WHERE seq = 9`).run();
    });
    const result = verify();
    expect(codes(result)).toEqual(['row_edited', 'row_edited', 'row_edited']);
    expect(result.findings.map((f) => f.seq)).toEqual([3, 6, 9]);
    expect(result.findings[2]?.message).toMatch(/#9 no longer valid JSON/);
  });

  it('a deleted row in the middle', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 5').run());
    const result = verify();
    expect(codes(result)).toEqual(['row_deleted']);
    expect(result.findings[0]).toMatchObject({ seq: 5, lastSeq: 5 });
    expect(result.findings[0]?.message).toMatch(/Entry #5 was deleted from the middle .*jumps from #4 to #6/);
  });

  it('truncation at the end (the head file is ahead of the table)', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq >= 8').run());
    const result = verify();
    expect(codes(result)).toEqual(['truncated']);
    expect(result.findings[0]).toMatchObject({ seq: 8, lastSeq: 11, file: files.head });
    expect(result.findings[0]?.message).toMatch(
      /#8 to #11 were deleted from the end .*head file records #11/,
    );
  });

  it('truncation with SQLite’s counter reset too: the table is still behind its head file', () => {
    tamper((db) => {
      db.prepare('DELETE FROM audit_log WHERE seq >= 8').run();
      db.prepare("UPDATE sqlite_sequence SET seq = 7 WHERE name = 'audit_log'").run();
    });
    const result = verify();
    expect(codes(result)).toEqual(['older_copy']);
    expect(result.findings[0]?.message).toMatch(/ends at #7 .*head file records #11/);
  });

  it('a recomputed chain: entries rewritten from #5 on, their MACs recomputed without the key', () => {
    tamper((db) => {
      const guess = randomBytes(32);
      const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= 5 ORDER BY seq').all() as Row[];
      let prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = 4').get() as { hash: string }).hash;
      for (const row of rows) {
        const body = row.seq === 5 ? '{"i":"rewritten"}' : row.body_json;
        const hash = computeAuditMac(guess, prev, fieldsOf({ ...row, body_json: body }));
        db.prepare('UPDATE audit_log SET body_json = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
          body,
          prev,
          hash,
          row.seq,
        );
        prev = hash;
      }
    });
    const result = verify();
    expect(codes(result)).toEqual(['chain_recomputed']);
    expect(result.findings[0]).toMatchObject({ seq: 5, lastSeq: 11 });
    expect(result.findings[0]?.message).toMatch(
      /#5 to #11 do not verify with the key.*to the end of the table/,
    );
  });

  it('one entry rewritten with a recomputed hash (the old, unkeyed formula)', () => {
    tamper((db) => {
      const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as Row;
      const body = '{"i":"nothing to see"}';
      const hash = computeAuditHash(row.prev_hash, fieldsOf({ ...row, body_json: body }));
      db.prepare('UPDATE audit_log SET body_json = ?, hash = ? WHERE seq = 3').run(body, hash);
    });
    const result = verify();
    expect(codes(result)).toEqual(['chain_recomputed']);
    expect(result.findings[0]).toMatchObject({ seq: 3, lastSeq: 3 });
  });

  it('a replaced table: fabricated entries with a correct unkeyed hash chain', () => {
    tamper((db) => {
      db.exec(`DROP TABLE audit_log; ${AUDIT_TABLE}`);
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 11; seq++) {
        const fields = {
          seq,
          ts: clock().toISOString(),
          session_id: null,
          command_id: null,
          kind: 'command',
          body: { seq },
        };
        const hash = computeAuditHash(prev, fields);
        db.prepare('INSERT INTO audit_log VALUES (?, ?, NULL, NULL, ?, ?, ?, ?)').run(
          seq,
          fields.ts,
          'command',
          canonicalJson(fields.body),
          prev,
          hash,
        );
        prev = hash;
      }
    });
    const result = verify();
    expect(codes(result)).toEqual(['table_replaced']);
    expect(result.findings[0]?.message).toMatch(/holds no keyed entry/);
  });

  it('a replaced table: another project’s genuine trail, keyed with its own key', () => {
    const other = mkdtempSync(join(tmpdir(), 'ralex-other-'));
    try {
      appendEntries(12, join(other, 'ralex.db'), auditFilesIn(other));
      tamper((db) => {
        db.exec(`DROP TABLE audit_log; ${AUDIT_TABLE}`);
        db.exec(
          `ATTACH '${join(other, 'ralex.db')}' AS other; INSERT INTO audit_log SELECT * FROM other.audit_log; DETACH other`,
        );
      });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    const result = verify();
    expect(codes(result)).toEqual(['table_replaced']);
    expect(result.findings[0]?.message).toMatch(
      /None of the 13 keyed entries verifies with the key \(the table names key [0-9a-f]{16}; the key file is [0-9a-f]{16}\)/,
    );
  });

  it('a dropped table', () => {
    tamper((db) => db.exec('DROP TABLE audit_log'));
    expect(codes(verify())).toEqual(['table_replaced']);
  });

  it('an older copy of the database put back', () => {
    copyFileSync(dbFile, join(dir, 'backup.db'));
    appendEntries(6);
    for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
    copyFileSync(join(dir, 'backup.db'), dbFile);
    const result = verify();
    expect(codes(result)).toEqual(['older_copy']);
    expect(result.findings[0]).toMatchObject({ seq: 12, lastSeq: 17, file: files.head });
    expect(result.findings[0]?.message).toMatch(
      /ends at #11 .*head file records #17.*older copy of ralex\.db was put back/,
    );
  });

  it('a head file that was edited (its MAC fails)', () => {
    const head = JSON.parse(readFileSync(files.head, 'utf8')) as { seq: number };
    writeFileSync(files.head, JSON.stringify({ ...head, seq: 5 }));
    const result = verify();
    expect(codes(result)).toEqual(['head_edited']);
    expect(result.findings[0]).toMatchObject({ file: files.head });
    expect(result.findings[0]?.message).toMatch(/MAC does not verify with the key \(it claims entry #5\)/);
  });

  it('a head file replaced by something else', () => {
    writeFileSync(files.head, 'not a head file\n');
    expect(codes(verify())).toEqual(['head_edited']);
  });

  it('a deleted head file', () => {
    unlinkSync(files.head);
    expect(codes(verify())).toEqual(['head_missing']);
  });

  it('a missing key: nothing can be checked (unverifiable), and structural damage still shows', () => {
    unlinkSync(files.key);
    const result = verify();
    expect(result).toMatchObject({ ok: false, status: 'unverifiable' });
    expect(codes(result)).toEqual(['key_missing']);
    expect(result.findings[0]?.message).toMatch(/no MAC can be checked/);
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq >= 9').run());
    const cut = verify();
    expect(cut.status).toBe('tampered');
    expect(codes(cut).sort()).toEqual(['key_missing', 'truncated']);
  });

  it('a forged head file signed with a guessed key', () => {
    const head = JSON.parse(readFileSync(files.head, 'utf8')) as Record<string, unknown>;
    const guess = createHmac('sha256', randomBytes(32)).update('x').digest('hex');
    writeFileSync(files.head, JSON.stringify({ ...head, seq: 3, headMac: guess }));
    expect(codes(verify())).toEqual(['head_edited']);
  });
});

describe('the evidence survives the next start (the head file is rewritten after it)', () => {
  it('an older copy put back, then Ralex starts and appends again', () => {
    copyFileSync(dbFile, join(dir, 'backup.db'));
    appendEntries(6);
    for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
    copyFileSync(join(dir, 'backup.db'), dbFile);
    appendEntries(4);
    const result = verify();
    expect(codes(result)).toEqual(['older_copy']);
    expect(result.findings[0]?.message).toMatch(/head file records #17.*recorded it in entry #12/);
  });

  it('entries cut from the end, then Ralex starts and appends again', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq >= 9').run());
    appendEntries(2);
    const result = verify();
    expect(codes(result)).toEqual(['truncated']);
    expect(result.findings[0]).toMatchObject({ seq: 9, lastSeq: 11 });
  });

  it('an edited head file, then Ralex starts again', () => {
    writeFileSync(files.head, '{}');
    appendEntries(1);
    expect(codes(verify())).toEqual(['head_edited']);
  });

  it('a deleted key: Ralex makes a new one and records that the entries before cannot be checked', () => {
    const before = readFileSync(files.key);
    unlinkSync(files.key);
    appendEntries(3);
    expect(readFileSync(files.key).equals(before)).toBe(false);
    const result = verify();
    expect(codes(result)).toEqual(['key_replaced']);
    expect(result.findings[0]).toMatchObject({ seq: 1, lastSeq: 11, file: files.key });
    expect(result.findings[0]?.message).toMatch(/key was missing, so it made a new one \(entry #12\)/);
    // The new segment is checked with the new key: an edit there is still found.
    tamper((db) => db.prepare(`UPDATE audit_log SET body_json = '{"i":0}' WHERE seq = 14`).run());
    expect(codes(verify())).toEqual(['key_replaced', 'row_edited']);
  });

  it('the whole state directory restored from an older copy is caught by a head recorded elsewhere', () => {
    const project = mkdtempSync(join(tmpdir(), 'ralex-project-'));
    try {
      const state = join(project, '.ralex/state');
      const at = auditFilesIn(state);
      const db = openDatabase(join(state, 'ralex.db'));
      const trail = createAuditTrail(db, clock, at, { projectRoot: project });
      for (let i = 0; i < 3; i++) trail.append({ kind: 'command', body: { i } });
      db.close();
      const saved = ['ralex.db', 'audit.head'].map(
        (name) => [name, readFileSync(join(state, name))] as const,
      );
      const again = openDatabase(join(state, 'ralex.db'));
      const later = createAuditTrail(again, clock, at, { projectRoot: project });
      const entry = later.append({ kind: 'commit', body: { sha: 'abc' } });
      later.flush();
      const sessions = join(project, '.ralex/sessions');
      mkdirSync(sessions, { recursive: true });
      writeFileSync(
        join(sessions, '2026-01-01-ses_1.md'),
        `## a command\n\n${later.headLine({ seq: entry.seq, mac: entry.hash })}\n`,
      );
      again.close();
      for (const [name, bytes] of saved) writeFileSync(join(state, name), bytes);
      for (const suffix of ['-wal', '-shm']) rmSync(join(state, `ralex.db${suffix}`), { force: true });
      const check = openDatabase(join(state, 'ralex.db'));
      const result = verifyAuditTrail(check, at, { database: join(state, 'ralex.db'), projectRoot: project });
      check.close();
      expect(codes(result)).toEqual(['older_copy']);
      expect(result.findings[0]).toMatchObject({
        file: '.ralex/sessions/2026-01-01-ses_1.md',
        seq: 5,
        lastSeq: 5,
      });
      expect(result.findings[0]?.message).toMatch(/whole state directory was restored/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('head marks in markdown', () => {
  it('a mark a model wrote into a reply is ignored (a warning), never taken for a tampered chain', () => {
    const project = mkdtempSync(join(tmpdir(), 'ralex-project-'));
    try {
      const state = join(project, '.ralex/state');
      const db = openDatabase(join(state, 'ralex.db'));
      const trail = createAuditTrail(db, clock, auditFilesIn(state), { projectRoot: project });
      trail.append({ kind: 'command', body: {} });
      const fake = createHash('sha256').update('x').digest('hex').slice(0, 16);
      mkdirSync(join(project, '.ralex/sessions'), { recursive: true });
      writeFileSync(
        join(project, '.ralex/sessions/2026-01-01-ses_1.md'),
        `Done.\naudit: #2 ${fake}… mark ${fake}\naudit: #900 ${fake}… mark ${fake}\n`,
      );
      const result = trail.verify();
      db.close();
      expect(result.status).toBe('intact');
      expect(codes(result)).toEqual(['forged_mark']);
      expect(result.findings[0]?.message).toMatch(/2 lines .* not written by Ralex/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
