import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  const trail = createAuditTrail(db, systemClock);
  for (let i = 0; i < n; i++) trail.append({ kind: 'decision', body: { decision: 'allow', i } });
  return db;
};

describe('ralex audit verify', () => {
  it('exits 0 and says intact for an untouched log', async () => {
    seed(3).close();
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries: 3 });
    const text = await run('--project', project);
    expect(text.stdout).toMatch(/^Audit trail intact: 3 entries/);
  });

  it('exits 1 and names the entry when a row was edited', async () => {
    const db = seed(4);
    db.prepare(`UPDATE audit_log SET body_json = '{"decision":"deny","i":1}' WHERE seq = 2`).run();
    db.close();
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBadSeq: 2 });
    expect((await run('--project', project)).stdout).toMatch(/TAMPERED at entry 2/);
  });

  it('exits 2 when the project has no database, and creates none', async () => {
    const json = await run('--json', '--project', project);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await run('--project', project)).stderr).toMatch(/No Ralex database/);
    expect(existsSync(join(project, '.ralex/state/ralex.db'))).toBe(false);
  });
});
