import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RalexError } from '../../errors.js';
import { type Db, openDatabase } from '../../store/database.js';
import { computeAuditHash, GENESIS_HASH } from './audit-entry.js';
import { type AuditFiles, auditFilesIn } from './audit-files.js';
import { auditKeyId } from './audit-key.js';
import { type AuditTrail, createAuditTrail } from './audit-trail.js';
import { canonicalJson } from './canonical-json.js';
import { verifyAuditTrail } from './verify-audit-trail.js';

let dir: string;
let db: Db;
let files: AuditFiles;
let tick = 0;
const clock = () => new Date(Date.UTC(2026, 0, 1, 12, 0, tick++));
const open = () => createAuditTrail(db, clock, files);
/** Verifies without opening a trail, as `ralex audit verify` does. */
const verifyOnly = () => verifyAuditTrail(db, files, { database: join(dir, 'ralex.db') });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ralex-audit-'));
  db = openDatabase(join(dir, 'ralex.db'));
  files = auditFilesIn(dir);
  tick = 0;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const codes = (trail: AuditTrail) => trail.verify().findings.map((f) => f.code);
const sql = (text: string, ...params: unknown[]) => db.prepare(text).run(...params);

describe('audit trail: the keyed chain', () => {
  it('starts with a genesis epoch and chains every entry with HMAC-SHA256 under the key', () => {
    const trail = open();
    const [genesis] = trail.read();
    expect(genesis).toMatchObject({ seq: 1, kind: 'epoch', prevHash: GENESIS_HASH });
    const key = readFileSync(files.key);
    expect(genesis?.body).toMatchObject({ reason: 'genesis', scheme: 'hmac-sha256', keyId: auditKeyId(key) });
    const entry = trail.append({
      kind: 'command',
      sessionId: 's',
      commandId: 'c',
      body: { z: 1, a: [1, { y: 2, x: 1 }] },
    });
    const canonical = `{"body":{"a":[1,{"x":1,"y":2}],"z":1},"command_id":"c","kind":"command","seq":2,"session_id":"s","ts":"${entry.ts}"}`;
    expect(entry).toMatchObject({ seq: 2, prevHash: genesis?.hash });
    expect(entry.hash).toBe(
      createHmac('sha256', key).update(`ralex.audit.entry.v2\n${genesis?.hash}${canonical}`).digest('hex'),
    );
    expect(trail.head()).toEqual({ seq: 2, mac: entry.hash, ts: entry.ts });
    expect(trail.read({ afterSeq: 1 })[0]?.body).toEqual({ a: [1, { x: 1, y: 2 }], z: 1 });
  });

  it('writes the head file, MAC’d, for a burst of appends at once: at flush or within 100 ms', async () => {
    const trail = open();
    const headFile = () => JSON.parse(readFileSync(files.head, 'utf8'));
    expect(headFile()).toMatchObject({ format: 'ralex-audit-head/1', seq: 1 });
    const first = trail.append({ kind: 'tool_call', body: { i: 1 } });
    expect(headFile().seq).toBe(1);
    trail.flush();
    expect(headFile()).toMatchObject({ seq: first.seq, mac: first.hash, ts: first.ts });
    expect(headFile().headMac).toMatch(/^[0-9a-f]{64}$/);
    for (let i = 0; i < 3; i++) trail.append({ kind: 'tool_call', body: { i } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(headFile().seq).toBe(5);
    const head = trail.head();
    expect(head).toMatchObject({ seq: 5 });
    expect(trail.headLine(head!)).toMatch(
      new RegExp(`^audit: #5 ${head!.mac.slice(0, 16)}… mark [0-9a-f]{16}$`),
    );
    expect(statSync(files.head).mode & 0o777).toBe(0o600);
  });

  it('records entries cut from the end while it runs, before a lagging head could hide them', () => {
    const trail = open();
    for (let i = 0; i < 6; i++) trail.append({ kind: 'tool_call', body: { i } });
    sql('DELETE FROM audit_log WHERE seq >= 5');
    trail.append({ kind: 'command', body: {} });
    expect(trail.read().at(-2)).toMatchObject({ kind: 'epoch', body: { reason: 'discontinuity' } });
    const report = trail.verify();
    expect(report.findings.map((f) => f.code)).toEqual(['truncated']);
    expect(report.findings[0]?.message).toMatch(/#5 to #7 were deleted .*head Ralex last wrote records #7/);
  });

  it('verifies an intact trail, an empty one, and one reopened by a second start', () => {
    expect(open().verify()).toMatchObject({ ok: true, entries: 1, findings: [] });
    const trail = open();
    for (let i = 0; i < 5; i++) trail.append({ kind: 'decision', body: { i } });
    expect(open().verify()).toMatchObject({ ok: true, status: 'intact', entries: 6 });
  });

  it('rejects a body that is not plain JSON and an unknown kind with bad_request, appending nothing', () => {
    const trail = open();
    expect(() => trail.append({ kind: 'decision', body: { big: 10n } })).toThrow(RalexError);
    expect(() => trail.append({ kind: 'nonsense' as 'decision', body: {} })).toThrow(/Invalid audit entry/);
    expect(trail.verify()).toMatchObject({ ok: true, entries: 1 });
  });

  it('keeps one chain, and a head file that is never ahead, when two connections append in turn', () => {
    const other = openDatabase(join(dir, 'ralex.db'));
    try {
      const first = open();
      const second = createAuditTrail(other, clock, files);
      for (let i = 0; i < 10; i++) (i % 2 ? first : second).append({ kind: 'tool_call', body: { i } });
      second.flush();
      expect(first.verify()).toMatchObject({ ok: true, entries: 11, headFile: { seq: 11 } });
    } finally {
      other.close();
    }
  });
});

describe('audit key', () => {
  it('is 32 random bytes with mode 0600, made once and reused', () => {
    open();
    const key = readFileSync(files.key);
    expect(key).toHaveLength(32);
    expect(statSync(files.key).mode & 0o777).toBe(0o600);
    open();
    expect(readFileSync(files.key).equals(key)).toBe(true);
    expect(readFileSync(join(dir, 'ralex.db')).includes(key)).toBe(false);
  });

  it('is tightened to 0600 when others could read it, and the trail records that', () => {
    open();
    chmodSync(files.key, 0o644);
    const trail = open();
    expect(statSync(files.key).mode & 0o777).toBe(0o600);
    expect(trail.read().at(-1)).toMatchObject({ kind: 'anomaly', body: { mode: '0644' } });
    expect(trail.verify()).toMatchObject({ status: 'intact', findings: [] });
  });

  it('reports loose permissions as a warning when verifying, without changing the file', () => {
    const trail = open();
    chmodSync(files.key, 0o640);
    expect(trail.verify()).toMatchObject({
      status: 'intact',
      findings: [{ code: 'key_permissions', severity: 'warning' }],
    });
    expect(statSync(files.key).mode & 0o777).toBe(0o640);
  });

  it('is refused, with what to do, when it is a link or the wrong size', () => {
    writeFileSync(join(dir, 'elsewhere'), Buffer.alloc(32, 1));
    symlinkSync(join(dir, 'elsewhere'), files.key);
    expect(() => open()).toThrow(/symbolic link/);
    rmSync(files.key);
    writeFileSync(files.key, 'short', { mode: 0o600 });
    let error: unknown;
    try {
      open();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(RalexError);
    expect((error as RalexError).message).toMatch(/holds 5 bytes instead of 32/);
    expect((error as RalexError).hint).toMatch(/Restore .*audit\.key from a backup/);
  });
});

describe('an older, unkeyed chain', () => {
  /** Writes entries the way versions before the keyed chain did. */
  const legacy = (n: number) => {
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const fields = {
        seq,
        ts: clock().toISOString(),
        session_id: null,
        command_id: null,
        kind: 'command',
        body: { seq },
      };
      const hash = computeAuditHash(prev, fields);
      sql(
        'INSERT INTO audit_log VALUES (?, ?, NULL, NULL, ?, ?, ?, ?)',
        seq,
        fields.ts,
        'command',
        canonicalJson(fields.body),
        prev,
        hash,
      );
      prev = hash;
    }
    return prev;
  };

  it('is reported as unsealed before Ralex has opened it (nothing could stop a recompute)', () => {
    legacy(4);
    const report = verifyOnly();
    expect(report).toMatchObject({ status: 'unverifiable', keyed: false });
    expect(report.findings.map((f) => f.code)).toEqual(['legacy_unsealed']);
  });

  it('is checked once and sealed by a keyed epoch recording its length and last hash', () => {
    const last = legacy(4);
    const trail = open();
    expect(trail.read().at(-1)).toMatchObject({
      seq: 5,
      kind: 'epoch',
      prevHash: last,
      body: { reason: 'seal-legacy', legacy: { entries: 4, head: last } },
    });
    trail.append({ kind: 'commit', body: {} });
    expect(trail.verify()).toMatchObject({ ok: true, entries: 6, keyed: true });
    // The sealed part is now covered by the key: recomputing its hashes no longer hides an edit.
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 4').get() as {
      prev_hash: string;
      ts: string;
    };
    const body = { seq: 'rewritten' };
    const hash = computeAuditHash(row.prev_hash, {
      seq: 4,
      ts: row.ts,
      session_id: null,
      command_id: null,
      kind: 'command',
      body,
    });
    sql('UPDATE audit_log SET body_json = ?, hash = ? WHERE seq = 4', canonicalJson(body), hash);
    expect(codes(trail)).toEqual(['legacy_broken']);
    expect(trail.verify().problem).toMatch(/sealed by entry #5 were changed since/);
  });

  it('already broken is sealed with the problem named, never silently accepted', () => {
    legacy(4);
    sql(`UPDATE audit_log SET body_json = '{"seq":0}' WHERE seq = 2`);
    const trail = open();
    expect(trail.read().at(-1)?.body).toMatchObject({
      legacy: { problem: 'entry #2 does not match its hash' },
    });
    expect(codes(trail)).toEqual(['legacy_broken']);
    expect(trail.verify().problem).toMatch(
      /already broken when Ralex sealed them .*entry #2 does not match its hash/,
    );
  });
});
