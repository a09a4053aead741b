import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../src/command/command-result.js';
import { sampleProject } from './fixtures/sample-projects.js';
import { workTree } from './helpers/file-hashes.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

/**
 * A change's checkpoint and test baseline start before the model stages and run beside the
 * agent's first model turn (engine/change-start.ts). These scenarios hold the model to the
 * promises that keeps: the checkpoint is the tree before any agent write, the baseline never
 * sees one, and a known baseline is not run again.
 */

let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PASSING = 'if (!stored) return false;';
const BROKEN = 'if (!stored) return true;';

/** The command's events, in order, as `type name-or-tool`. */
function timeline(t: RuntimeUnderTest, result: CommandResult): string[] {
  return t.rt.bus.log.read({ commandId: result.commandId }).map((e) => {
    const named = e as { type: string; name?: string; tool?: string };
    return [named.type, named.name ?? named.tool].filter(Boolean).join(' ');
  });
}

// The baseline waits until the model has been asked (the marker the first scripted turn drops
// in .git, which the sandbox shows read-only), then a second more: the agent's first write is
// certain to arrive while the baseline is still running.
const AFTER_THE_MODEL_IS_ASKED =
  'for i in $(seq 1 600); do [ -e .git/ralex-model-asked ] && break; sleep 0.05; done; sleep 1; node --test';

describe("a change's checkpoint and baseline run beside the model, before any agent write", () => {
  it("holds an eager agent's first write until the baseline is done, so the test it breaks is caught and everything rolled back", async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: `checks:\n  max_attempts: 1\n  test_command: '${AFTER_THE_MODEL_IS_ASKED}'\n`,
      script: [
        () => {
          writeFileSync(join(t!.repo.dir, '.git/ralex-model-asked'), '');
          return {
            toolCalls: [
              {
                name: 'edit_file',
                arguments: { path: 'src/user_auth.js', old_text: PASSING, new_text: BROKEN },
              },
              {
                name: 'write_file',
                arguments: { path: 'src/cache.js', content: 'export const cache = new Map();\n' },
              },
            ],
          };
        },
        { text: 'Lookups are faster now.' },
      ],
    });
    // The user's own work, uncommitted, before the command.
    await t.repo.write('README.md', '# sample-app\n\nMy notes, not committed.\n');
    await t.repo.write('notes/todo.txt', 'my untracked todo list\n');
    const before = workTree(t.repo.dir);

    const result = await t.run('implement a faster user lookup in user auth dot js');

    // The baseline ran on the tree from before the agent's edit: the suite passed there.
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['tests (before)', true],
      ['tests', false],
    ]);
    expect(result.checks[0]?.tests).toMatchObject({ failed: 0 });
    expect(result.status).toBe('failed');
    expect(result.reply).toMatch(/do not verify/);
    // The write was asked for while the baseline ran, and done only after it.
    const events = timeline(t, result);
    const at = (label: string) => events.indexOf(label);
    expect(at('checkpoint.created')).toBeGreaterThanOrEqual(0);
    expect(at('tool.started edit_file')).toBeLessThan(at('check.finished tests (before)'));
    expect(at('check.finished tests (before)')).toBeLessThan(at('tool.finished edit_file'));
    expect(at('checkpoint.created')).toBeLessThan(at('tool.finished edit_file'));
    expect(at('checkpoint.restored')).toBeGreaterThan(at('check.finished tests'));
    // Rolled back: the user's files byte for byte, the agent's new file gone.
    expect(workTree(t.repo.dir)).toEqual(before);
    // The checkpoint holds the user's work as it was before the agent wrote.
    const change = t.rt.changes.get(result.commandId);
    expect(change?.state).toBe('rolled_back');
    const ref = `refs/ralex/checkpoints/${change?.checkpointId}`;
    expect(await t.repo.git('show', `${ref}:README.md`)).toContain('My notes, not committed.');
    expect(await t.repo.git('show', `${ref}:src/user_auth.js`)).toContain(PASSING);
    expect(await t.repo.git('show', `${ref}:notes/todo.txt`)).toContain('my untracked todo list');
  });

  it('reads the baseline of a tree it has seen, and takes it again when a file changes', async () => {
    const breakIt = {
      toolCalls: [
        { name: 'edit_file', arguments: { path: 'src/user_auth.js', old_text: PASSING, new_text: BROKEN } },
      ],
    };
    t = await openRuntime({
      files: sampleProject(),
      preferences: 'checks:\n  max_attempts: 1\n',
      script: [breakIt, { text: 'Done.' }, breakIt, { text: 'Done.' }, breakIt, { text: 'Done.' }],
    });
    const started = (result: CommandResult) =>
      timeline(t!, result).filter((e) => e === 'check.started tests (before)').length;
    const request = 'implement a shorter user lookup in user auth dot js';

    const first = await t.run(request);
    expect(first.checks.map((c) => [c.name, c.ok, c.cached ?? false])).toEqual([
      ['tests (before)', true, false],
      ['tests', false, false],
    ]);
    // Rolled back to the same tree: its baseline is known, the tests do not run before the change.
    const second = await t.run(request);
    expect(second.checks.map((c) => [c.name, c.ok, c.cached ?? false])).toEqual([
      ['tests (before)', true, true],
      ['tests', false, false],
    ]);
    expect(second.checks[0]?.tests).toEqual(first.checks[0]?.tests);
    expect(second.status).toBe('failed'); // still judged against the baseline: the regression is caught
    const ran = t.rt.bus.log.read({ commandId: second.commandId }).filter((e) => e.type === 'check.finished');
    expect(ran.map((e) => (e as { cached?: boolean }).cached ?? false)).toEqual([true, false]);
    expect(started(first)).toBe(1);

    // A user's edit makes another tree: the baseline runs again.
    await t.repo.write('README.md', '# sample-app\n\nEdited by me.\n');
    const third = await t.run(request);
    expect(third.checks.map((c) => [c.name, c.cached ?? false])).toEqual([
      ['tests (before)', false],
      ['tests', false],
    ]);
    expect(await t.repo.read('README.md')).toBe('# sample-app\n\nEdited by me.\n');
  });

  it('ends a change begun early when a stage before execute stops: baseline stopped, lock released, files as they were', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: "checks:\n  test_command: 'sleep 60; node --test'\n",
      script: [{ text: 'never asked' }],
    });
    await t.repo.write('README.md', '# sample-app\n\nMy notes.\n');
    const before = workTree(t.repo.dir);
    const cancel = new AbortController();
    // Cancelled once the guard has let it through: the change has begun, the model stages have not run.
    const stop = t.rt.bus.subscribe((e) => {
      if (e.type === 'guard.decided') cancel.abort();
    });
    const started = performance.now();
    const result = await t.run('implement a shorter user lookup in user auth dot js', {
      signal: cancel.signal,
    });
    stop();
    expect(result.status).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(40_000); // the 60 s baseline was stopped, not waited for
    expect(t.rt.locks.holder()).toBeNull();
    expect(t.rt.changes.get(result.commandId)?.state).toBe('rolled_back');
    expect(t.model.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(0);
    expect(workTree(t.repo.dir)).toEqual(before);
  });
});
