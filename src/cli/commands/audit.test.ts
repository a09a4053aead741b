import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditFilesIn } from '../../policy/audit/audit-files.js';
import { createAuditTrail } from '../../policy/audit/audit-trail.js';
import { openDatabase } from '../../store/database.js';
import { systemClock } from '../../util/ids.js';
import { registerAuditCommand } from './audit.js';

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'ralex-audit-cli-'));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = -1;
  const program = new Command().exitOverride();
  registerAuditCommand(program, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    setExitCode: (c) => {
      exitCode = c;
    },
  });
  await program.parseAsync(['audit', 'verify', ...args], { from: 'user' });
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

const seed = (n: number) => {
  const db = openDatabase(join(project, '.ralex/state/ralex.db'));
  const trail = createAuditTrail(db, systemClock, auditFilesIn(join(project, '.ralex/state')));
  for (let i = 0; i < n; i++) trail.append({ kind: 'decision', body: { decision: 'allow', i } });
  return db;
};

describe('ralex audit verify', () => {
  it('exits 0 and says intact for an untouched log', async () => {
    seed(3).close();
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      status: 'intact',
      entries: 4,
      keyed: true,
      findings: [],
    });
    const text = await run('--project', project);
    expect(text.stdout).toMatch(/^Audit trail intact: 4 entries, head #4 [0-9a-f]{16}…/);
  });

  it('exits 1 and names the entry when a row was edited', async () => {
    const db = seed(4);
    db.prepare(`UPDATE audit_log SET body_json = '{"decision":"deny","i":1}' WHERE seq = 2`).run();
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    db.close();
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      status: 'tampered',
      firstBadSeq: 2,
      problem: expect.stringMatching(/Entry #2 .*was edited/),
      findings: [
        { code: 'row_edited', severity: 'tampered', seq: 2 },
        { code: 'row_deleted', severity: 'tampered', seq: 4 },
      ],
    });
    const text = await run('--project', project);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/TAMPERED at entry 2: Entry #2/);
    expect(text.stdout).toMatch(/\n {2}row_deleted: Entry #4 was deleted from the middle/);
  });

  it('exits 2 and says what it means when the key is missing', async () => {
    seed(3).close();
    unlinkSync(join(project, '.ralex/state/audit.key'));
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      status: 'unverifiable',
      findings: [{ code: 'key_missing', severity: 'unverifiable' }],
    });
    expect((await run('--project', project)).stdout).toMatch(
      /CANNOT BE VERIFIED: The audit key .* is missing/,
    );
    expect(existsSync(join(project, '.ralex/state/audit.key'))).toBe(false);
  });

  it('exits 2 when the project has no database, and creates none', async () => {
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await run('--project', project)).stderr).toMatch(/No Ralex database/);
    expect(existsSync(join(project, '.ralex/state/ralex.db'))).toBe(false);
  });
});
