import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject } from './fixtures/sample-projects.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let t: RuntimeUnderTest;
afterEach(async () => t?.close());

const BUG = 'if (!stored) return true;';
const FIX = 'if (!stored) return false;';
/** `git status --porcelain` without Ralex's own .ralex/ folder (session logs live there by design). */
const status = async (t: RuntimeUnderTest) =>
  (await t.repo.git('status', '--porcelain'))
    .split('\n')
    .filter((l) => l && !l.endsWith('.ralex/'))
    .join('\n');
const edit = (oldText: string, newText: string, path = 'src/user_auth.js') => ({
  toolCalls: [{ name: 'edit_file', arguments: { path, old_text: oldText, new_text: newText } }],
});

describe('a change runs inside a checkpoint, is verified, then committed or rolled back', () => {
  it("fixes the failing test, commits only its own change, and leaves the user's work uncommitted", async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [edit(BUG, FIX), { text: 'Unknown users are now rejected.' }],
    });
    await t.repo.write('README.md', '# sample-app\n\nMy own notes, not committed yet.\n');
    const before = await t.repo.git('rev-parse', 'HEAD');
    const result = await t.run('fix the failing test in user auth dot js, execute');
    expect(result).toMatchObject({
      status: 'succeeded',
      intent: 'fix_bug',
      filesChanged: ['src/user_auth.js'],
    });
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['tests (before)', false],
      ['tests', true],
    ]);
    expect(result.diff).toContain(`+  ${FIX}`);
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await t.repo.git('rev-parse', 'HEAD')).toBe(result.commit);
    expect(await t.repo.git('rev-parse', 'HEAD~1')).toBe(before);
    expect(await t.repo.git('log', '-1', '--format=%s')).toMatch(/^fix: /);
    expect(await t.repo.git('show', '--name-only', '--format=', 'HEAD')).toBe('src/user_auth.js');
    // The user's own edit is still there, still uncommitted; the index has no stray reversal.
    expect(await t.repo.read('README.md')).toContain('My own notes');
    expect(await status(t)).toBe(' M README.md');
  });

  it('keeps a verifiable audit trail of the command, its decisions, tool calls and commit', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [edit(BUG, FIX), { text: 'Fixed.' }],
    });
    const result = await t.run('fix the failing test');
    const kinds = new Set(t.rt.audit.read({}).map((e) => e.kind));
    for (const kind of ['command', 'decision', 'tool_call', 'checkpoint', 'commit'])
      expect(kinds).toContain(kind);
    const commit = t.rt.audit.read({}).find((e) => e.kind === 'commit');
    expect(commit?.body).toMatchObject({ sha: result.commit, files: ['src/user_auth.js'] });
    expect(t.rt.audit.verify()).toMatchObject({ ok: true });
    t.rt.db
      .prepare("UPDATE audit_log SET body_json = replace(body_json, 'fix', 'fox') WHERE kind = 'command'")
      .run();
    expect(t.rt.audit.verify().ok).toBe(false);
  });

  it("never lets the agent rewrite Ralex's own config or security rules", async () => {
    t = await openRuntime({
      files: sampleProject(),
      script: [
        {
          toolCalls: [
            {
              name: 'write_file',
              arguments: { path: '.ralex/config/security_rules.yaml', content: 'rules: []\n' },
            },
          ],
        },
        { text: 'Done.' },
      ],
    });
    const result = await t.run('implement looser security rules');
    const started = t.rt.bus.log.read({ commandId: result.commandId }).find((e) => e.type === 'tool.started');
    expect(started).toMatchObject({ decision: 'deny', rule: 'hard:ralex-files' });
    expect(result.filesChanged).toEqual([]);
  });

  it("commits only the agent's hunk when the user has edits in the same file", async () => {
    const files = sampleProject({ bug: true });
    t = await openRuntime({ files, script: [edit(BUG, FIX), { text: 'Fixed.' }] });
    const userEdit = files['src/user_auth.js']!.replace(
      '/** Hashes a password with a per-user salt. */',
      '/** Hashes a password (my note). */',
    );
    await t.repo.write('src/user_auth.js', userEdit);
    const result = await t.run('fix the bug in user auth dot js');
    expect(result.status).toBe('succeeded');
    const committed = await t.repo.git('show', 'HEAD:src/user_auth.js');
    expect(committed).toContain(FIX);
    expect(committed).not.toContain('my note');
    const working = await t.repo.read('src/user_auth.js');
    expect(working).toContain(FIX);
    expect(working).toContain('my note');
    expect(await t.repo.git('diff', '--name-only')).toBe('src/user_auth.js');
  });

  it('gives the agent the failing output for another attempt, then succeeds', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [
        {
          toolCalls: [
            ...edit(BUG, FIX).toolCalls,
            ...edit('stored.hash === hash', 'stored.hash !== hash').toolCalls,
          ],
        },
        { text: 'Tried.' },
        edit('stored.hash !== hash', 'stored.hash === hash'),
        { text: 'Fixed now.' },
      ],
    });
    const result = await t.run('fix the failing test');
    expect(result.status).toBe('succeeded');
    expect(result.checks.map((c) => c.ok)).toEqual([false, false, true]);
    const retry = t.model.chatRequests()[2]!.body!.messages!.at(-1) as { content: string };
    expect(retry.content).toContain('checks do not verify your change');
    expect(retry.content).toContain('Tests that fail now but did not before: accepts the right password');
    expect(retry.content).toContain('accepts the right password');
  });

  it("rolls back to exactly the checkpoint when the checks still fail, keeping the user's changes", async () => {
    const files = sampleProject();
    t = await openRuntime({
      files,
      preferences: 'checks:\n  max_attempts: 1\n',
      script: [
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: {
                path: 'src/utils/format_date.js',
                old_text: "'-' + pad(date.getUTCDate())",
                new_text: "'/' + pad(date.getUTCDate())",
              },
            },
            {
              name: 'write_file',
              arguments: { path: 'src/new_helper.js', content: 'export const x = 1;\n' },
            },
          ],
        },
        { text: 'Changed the separator.' },
      ],
    });
    await t.repo.write('notes.txt', 'user scratch file\n');
    const result = await t.run('implement slashes in format date');
    expect(result.status).toBe('failed');
    expect(result.reply).toMatch(/^Rolled back: /);
    expect(existsSync(join(t.repo.dir, 'src/new_helper.js'))).toBe(false);
    expect(await t.repo.read('src/utils/format_date.js')).toBe(files['src/utils/format_date.js']);
    expect(await status(t)).toBe('?? notes.txt');
    expect(await t.repo.read('notes.txt')).toBe('user scratch file\n');
  });

  it('undoes a committed change with a revert commit, and redoes it', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [edit(BUG, FIX), { text: 'Fixed.' }],
    });
    const fixed = await t.run('fix the failing test');
    expect(fixed.commit).toBeTruthy();
    const undo = await t.run('undo that');
    expect(undo).toMatchObject({ status: 'succeeded', intent: 'undo', filesChanged: ['src/user_auth.js'] });
    expect(await t.repo.read('src/user_auth.js')).toContain(BUG);
    expect(await t.repo.git('log', '-1', '--format=%s')).toMatch(/^revert: /);
    expect(await status(t)).toBe('');
    const redo = await t.run('redo');
    expect(redo.status).toBe('succeeded');
    expect(await t.repo.read('src/user_auth.js')).toContain(FIX);
    expect(await status(t)).toBe('');
  });

  it('asks back when a bare "undo" arrives while an approval waits (the recogniser can mishear "confirm")', async () => {
    t = await openRuntime({
      files: sampleProject(),
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }] },
        { text: 'Deleted.' },
      ],
    });
    const sessionId = 'ses_voice';
    const waiting = t.run('refactor: remove the readme', { sessionId });
    await new Promise<void>((resolve) => {
      const stop = t.rt.bus.subscribe((e) => {
        if (e.type === 'approval.requested') {
          stop();
          resolve();
        }
      });
    });
    const misheard = await t.run('undo', { sessionId });
    expect(misheard.status).toBe('needs_input');
    expect(misheard.reply).toContain('Did you mean "confirm"');
    await t.run('confirm', { sessionId });
    expect((await waiting).status).toBe('succeeded');
  });

  it("refuses an undo that would overwrite the user's later edit of the same lines", async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [edit(BUG, FIX), { text: 'Fixed.' }],
    });
    await t.run('fix the failing test');
    const mine = (await t.repo.read('src/user_auth.js')).replace(
      FIX,
      'if (!stored) return false; // checked by me',
    );
    await t.repo.write('src/user_auth.js', mine);
    const undo = await t.run('undo that');
    expect(undo.status).toBe('failed');
    expect(undo.reply).toContain('src/user_auth.js');
    expect(await t.repo.read('src/user_auth.js')).toBe(mine);
  });

  it('refuses a dangerous command from the model and tells it so, without running it', async () => {
    t = await openRuntime({
      files: sampleProject(),
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf ~ /' } }] },
        { text: 'I will not do that.' },
      ],
    });
    const result = await t.run('implement a cleanup of everything');
    expect(result.status).toBe('succeeded');
    const toolMessage = JSON.stringify(
      t.model.chatRequests()[1]!.body!.messages!.find((m) => m.role === 'tool'),
    );
    expect(toolMessage).toContain('Refused by Ralex');
    const started = t.rt.bus.log.read({ commandId: result.commandId }).find((e) => e.type === 'tool.started');
    expect(started).toMatchObject({ tool: 'run_command', decision: 'deny' });
    expect(readFileSync(join(t.repo.dir, 'package.json'), 'utf8')).toContain('sample-app');
  });

  it('pauses a command whose model keeps probing the policy', async () => {
    const probe = (command: string) => ({ name: 'run_command', arguments: { command } });
    t = await openRuntime({
      files: sampleProject(),
      script: [
        {
          toolCalls: [
            probe('sudo id'),
            probe('rm -rf /'),
            probe('mkfs.ext4 /dev/sda'),
            probe('shutdown now'),
            probe('crontab -l'),
          ],
        },
        { text: 'should never be asked for' },
      ],
    });
    const result = await t.run('implement whatever it takes');
    expect(result.status).toBe('denied');
    expect(result.reply).toContain('Paused');
    const types = t.rt.bus.log.read({ commandId: result.commandId }).map((e) => e.type);
    expect(types).toContain('session.paused');
    expect(t.model.chatRequests()).toHaveLength(1);
    expect(t.rt.audit.read({}).some((e) => e.kind === 'anomaly')).toBe(true);
  });

  it('denies an approval nobody answers, on time, and keeps the file', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: 'approvals:\n  timeout_ms: 1000\n',
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }] },
        { text: 'Could not delete it.' },
      ],
    });
    const started = Date.now();
    const result = await t.run('refactor: remove the readme');
    expect(Date.now() - started).toBeLessThan(10_000);
    const resolved = t.rt.bus.log
      .read({ commandId: result.commandId })
      .find((e) => e.type === 'approval.resolved');
    expect(resolved).toMatchObject({ outcome: 'timed_out' });
    expect(await t.repo.read('README.md')).toContain('sample-app');
  });

  it('deletes after approval from another client', async () => {
    t = await openRuntime({
      files: sampleProject(),
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }] },
        { text: 'Deleted the readme.' },
      ],
    });
    t.rt.bus.subscribe((e) => {
      if (e.type === 'approval.requested')
        setTimeout(() => t.rt.approvals.answer(e.approvalId, true, 'web'), 50);
    });
    const result = await t.run('refactor: remove the readme');
    expect(result).toMatchObject({ status: 'succeeded', filesChanged: ['README.md'] });
    expect(await t.repo.git('show', '--name-status', '--format=', 'HEAD')).toBe('D\tREADME.md');
  });

  it('restores the checkpoint when the command is cancelled mid-run', async () => {
    t = await openRuntime({
      files: sampleProject(),
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'src/half.js', content: 'half done\n' } }] },
        { stallMs: 30_000, text: 'never' },
      ],
    });
    const controller = new AbortController();
    t.rt.bus.subscribe((e) => {
      if (e.type === 'tool.finished') setTimeout(() => controller.abort(), 100);
    });
    const result = await t.run('implement half a feature', { signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(await status(t)).toBe('');
  });
});
