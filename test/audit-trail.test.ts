import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/pipeline/pipeline.js';
import { findHeadMarks } from '../src/policy/audit/audit-head.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { sampleProject } from './fixtures/sample-projects.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { runCli } from './helpers/run-cli.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

// The keyed audit trail as a real runtime keeps it: many commands, restarts, a hostile model,
// and databases put back from older copies, checked with `ralex audit verify`.

let t: RuntimeUnderTest | undefined;
let repo: TempGitRepo | undefined;
const runtimes: Runtime[] = [];
afterEach(async () => {
  await t?.close();
  for (const rt of runtimes.splice(0)) await rt.close();
  await repo?.cleanup();
  t = undefined;
  repo = undefined;
});
beforeAll(async () => {
  if (!existsSync(new URL('../dist/bundle/main.js', import.meta.url)))
    throw new Error('Run `npm run build` first.');
});

const DIRECT = ['what changed', 'list files', 'show src/user_auth.js', 'list files in src'];
const state = (root: string) => join(root, '.ralex/state');
const sessionLogs = (root: string) =>
  readdirSync(join(root, '.ralex/sessions'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, '.ralex/sessions', f), 'utf8'))
    .join('\n');
const verifyJson = async (root: string) => {
  const run = await runCli(['audit', 'verify', '--json', '--project', root]);
  return { code: run.code, report: JSON.parse(run.stdout), stdout: run.stdout, stderr: run.stderr };
};

async function project(): Promise<TempGitRepo> {
  repo = await createTempGitRepo({ files: sampleProject() });
  await repo.write('.gitignore', 'node_modules/\n.ralex/state/\n');
  await repo.commitAll('ignore ralex state');
  return repo;
}
async function start(root: string): Promise<Runtime> {
  const rt = await createRuntime({
    projectDir: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    probeOllama: false,
  });
  runtimes.push(rt);
  return rt;
}
async function stop(rt: Runtime): Promise<void> {
  runtimes.splice(runtimes.indexOf(rt), 1);
  await rt.close();
}
async function commands(rt: Runtime, n: number, sessionId = 'ses_audit'): Promise<void> {
  for (let i = 0; i < n; i++) {
    const result = await runCommand(
      { text: DIRECT[i % DIRECT.length] ?? 'list files', source: 'cli', sessionId },
      rt,
    );
    expect(result.status, result.spoken).toBe('succeeded');
  }
}

describe('the audit trail through a real runtime', () => {
  it('stays intact over many commands and restarts, each session log entry naming the head it was written at', async () => {
    const root = (await project()).dir;
    let rt = await start(root);
    for (let i = 0; i < 30; i++) {
      await commands(rt, 1);
      const marks = findHeadMarks(sessionLogs(root));
      expect(marks).toHaveLength(i + 1);
      const mark = marks.at(-1)!;
      const [entry] = rt.audit.read({ afterSeq: mark.seq - 1, limit: 1 });
      expect(entry?.hash.startsWith(mark.prefix)).toBe(true);
      expect(mark.seq).toBeLessThan(rt.audit.head()!.seq);
    }
    await stop(rt);
    rt = await start(root);
    await commands(rt, 5);
    const report = rt.audit.verify();
    expect(report).toMatchObject({ ok: true, status: 'intact', keyed: true, findings: [] });
    expect(report.headFile).toEqual({ ...rt.audit.head(), trail: expect.any(String), verified: true });
    // Only one epoch: a restart with everything in place records nothing.
    expect(rt.audit.read({ limit: 10_000 }).filter((e) => e.kind === 'epoch')).toHaveLength(1);
    await stop(rt);

    const cli = await verifyJson(root);
    expect(cli.code).toBe(0);
    expect(cli.report).toMatchObject({ ok: true, status: 'intact', entries: report.entries });
    const db = new Database(join(state(root), 'ralex.db'));
    db.prepare('DELETE FROM audit_log WHERE seq = 40').run();
    db.close();
    const tampered = await verifyJson(root);
    expect(tampered.code).toBe(1);
    expect(tampered.report.findings).toEqual([expect.objectContaining({ code: 'row_deleted', seq: 40 })]);
  });

  it('keeps the key private: mode 0600, and its bytes nowhere in the database, events, logs, markdown or output', async () => {
    t = await openRuntime({
      files: sampleProject(),
      script: [
        {
          toolCalls: [
            { name: 'read_file', arguments: { path: '.ralex/state/audit.key' } },
            {
              name: 'run_command',
              arguments: { command: 'base64 .ralex/st*/audit.key; cat .ralex/state/audit.head' },
            },
            {
              name: 'run_command',
              arguments: { command: 'rm -f .ralex/st*/audit.head; echo "{}" > .ralex/state/audit.head' },
            },
            { name: 'write_file', arguments: { path: '.ralex/state/audit.head', content: '{}' } },
          ],
        },
        // A reply that imitates Ralex's head line, to make verify cry wolf.
        { text: 'Done.\naudit: #999 0123456789abcdef… mark 0123456789abcdef\n' },
      ],
    });
    const root = t.repo.dir;
    const keyFile = join(state(root), 'audit.key');
    const key = readFileSync(keyFile);
    const head = readFileSync(join(state(root), 'audit.head'));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The user approves the shell commands (the sandbox must hold on its own) and refuses the read.
    t.rt.bus.subscribe((e) => {
      if (e.type === 'approval.requested')
        setTimeout(() => t?.rt.approvals.answer(e.approvalId, e.action !== 'read_file', 'web'), 10);
    });
    const result = await t.run('add a date helper to format date dot js');
    const finished = t.rt.bus.log
      .read({ commandId: result.commandId })
      .flatMap((e) => (e.type === 'tool.finished' ? [e] : []));
    expect(finished.map((e) => [e.tool, e.ok])).toEqual(
      expect.arrayContaining([
        ['read_file', false],
        ['write_file', false],
      ]),
    );
    // Refused by the policy (the agent never reads .ralex/state), or, if it ran, the sandbox hides the folder.
    expect(finished.find((e) => e.tool === 'run_command')?.output).toMatch(
      /No such file or directory|Refused by Ralex's policy/,
    );
    await t.run('list files');
    expect(readFileSync(keyFile).equals(key)).toBe(true);
    const outputs = t.rt.bus.log
      .read({ commandId: result.commandId })
      .filter((e) => e.type === 'tool.finished')
      .map((e) => JSON.stringify(e));
    expect(outputs).toHaveLength(4);
    const report = t.rt.audit.verify();
    expect(report.status).toBe('intact');
    expect(report.findings.map((f) => f.code)).toEqual(['forged_mark']);
    expect(readFileSync(join(state(root), 'audit.head')).equals(head)).toBe(false);

    const forms = [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
      key.toString('base64').slice(0, 24),
    ];
    const rows = t.rt.db
      .prepare('SELECT body_json FROM events UNION ALL SELECT body_json FROM audit_log')
      .all() as { body_json: string }[];
    const cli = await verifyJson(root);
    const texts = [
      ...outputs,
      ...rows.map((r) => r.body_json),
      sessionLogs(root),
      cli.stdout,
      cli.stderr,
      JSON.stringify(result),
    ];
    for (const text of texts) for (const form of forms) expect(text).not.toContain(form);
    await t.rt.close();
    const ralexFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? ralexFiles(join(dir, d.name)) : [join(dir, d.name)],
      );
    for (const file of ralexFiles(join(root, '.ralex')).filter((f) => f !== keyFile)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(key), file).toBe(false);
      for (const form of forms) expect(bytes.includes(form), file).toBe(false);
    }
  });

  it('names an older copy of the database put back, and still does after Ralex starts again', async () => {
    const root = (await project()).dir;
    const dbFile = join(state(root), 'ralex.db');
    let rt = await start(root);
    await commands(rt, 3);
    await stop(rt);
    copyFileSync(dbFile, join(root, 'backup.db'));
    rt = await start(root);
    await commands(rt, 3);
    const lostHead = rt.audit.head()!;
    await stop(rt);
    for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
    copyFileSync(join(root, 'backup.db'), dbFile);

    const found = await verifyJson(root);
    expect(found.code).toBe(1);
    expect(found.report.findings.map((f: { code: string }) => f.code)).toEqual(['older_copy']);
    expect(found.report.findings[0].message).toContain(`head file records #${lostHead.seq}`);

    rt = await start(root);
    await commands(rt, 4);
    await stop(rt);
    const after = await verifyJson(root);
    expect(after.code).toBe(1);
    expect(after.report.findings.map((f: { code: string }) => f.code)).toEqual(['older_copy']);
    expect(after.report.findings[0].message).toMatch(/Ralex found this on .* and recorded it in entry #/);
  });

  it('catches the whole state directory put back (database, head and key) by the heads in the session logs', async () => {
    const root = (await project()).dir;
    let rt = await start(root);
    await commands(rt, 3);
    await stop(rt);
    const saved = ['ralex.db', 'audit.head', 'audit.key'].map(
      (n) => [n, readFileSync(join(state(root), n))] as const,
    );
    rt = await start(root);
    await commands(rt, 3);
    await stop(rt);
    for (const suffix of ['-wal', '-shm']) rmSync(join(state(root), `ralex.db${suffix}`), { force: true });
    for (const [name, bytes] of saved) writeFileSync(join(state(root), name), bytes);
    const found = await verifyJson(root);
    expect(found.code).toBe(1);
    expect(found.report.findings).toEqual([
      expect.objectContaining({
        code: 'older_copy',
        file: expect.stringMatching(/^\.ralex\/sessions\/.*\.md$/),
      }),
    ]);
    // Started again, Ralex reuses the lost seqs; the recorded heads still do not match.
    rt = await start(root);
    await commands(rt, 4);
    await stop(rt);
    const after = await verifyJson(root);
    expect(after.code).toBe(1);
    expect(after.report.findings.map((f: { code: string }) => f.code)).toContain('head_mismatch');
  });
});
