import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject } from './fixtures/sample-projects.js';
import { runCli } from './helpers/run-cli.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const BUG = 'if (!stored) return true;';
const FIX = 'if (!stored) return false;';
const edit = (oldText: string, newText: string, path = 'src/user_auth.js') => ({
  toolCalls: [{ name: 'edit_file', arguments: { path, old_text: oldText, new_text: newText } }],
});
const PRICED = 'models:\n  overrides:\n    "openai:scripted-model": { input: 1, output: 2 }\n';

const learned = (t: RuntimeUnderTest) =>
  JSON.parse(readFileSync(join(t.repo.dir, '.ralex/cache/model_performance.json'), 'utf8')) as {
    models: Record<string, Record<string, { successes: number; failures: number }>>;
  };

describe('the router learns from what became of each change', () => {
  it('a verified, committed fix is a success; undoing it later makes it a failure; redoing it a success again', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      preferences: PRICED,
      script: [edit(BUG, FIX), { text: 'Fixed.', usage: { prompt_tokens: 2000, completion_tokens: 50 } }],
    });
    const fixed = await t.run('fix the failing test in user auth dot js, execute');
    expect(fixed.status).toBe('succeeded');
    expect(fixed.commit).toBeTruthy();
    // The result's cost is the ledger's: two agent steps, each charged at its usage.
    const calls = t.rt.models.ledger.byCommand(fixed.commandId);
    expect(calls).toHaveLength(2);
    expect(fixed.cost).toBeCloseTo(
      calls.reduce((n, c) => n + (c.cost ?? 0), 0),
      12,
    );
    expect(fixed.cost).toBeGreaterThan(0.002);
    const [key] = Object.keys(learned(t).models['openai:scripted-model'] ?? {});
    expect(key).toMatch(/^fix_bug\/(easy|medium|hard)$/);
    expect(learned(t).models['openai:scripted-model']?.[key!]).toMatchObject({ successes: 1, failures: 0 });

    // As a user sees it: `ralex models` shows what was learned, `ralex budget` what was spent.
    const env = { OPENAI_BASE_URL: t.model.url, OPENAI_API_KEY: 'sk-test' };
    const models = await runCli(['models', '--json', '--project', t.repo.dir], { env });
    expect(models.code, models.stderr).toBe(0);
    const listed = JSON.parse(models.stdout).models.find(
      (m: { id: string }) => m.id === 'openai:scripted-model',
    );
    expect(listed).toMatchObject({
      prices: { input: 1, output: 2 },
      priceSource: 'preferences',
      learned: { [key!]: { successes: 1, failures: 0, rate: 1 } },
    });
    const table = await runCli(['models', '--project', t.repo.dir], { env });
    expect(table.stdout).toMatch(
      /openai:scripted-model .*\$1\/\$2 per M \(preferences\).*learned: fix_bug\/\w+ 100% of 1/,
    );
    const budget = await runCli(['budget', '--json', '--project', t.repo.dir], { env });
    expect(budget.code, budget.stderr).toBe(0);
    const spent = JSON.parse(budget.stdout);
    expect(spent.windows.find((w: { period: string }) => w.period === 'daily')).toMatchObject({
      limit: null,
      calls: 2,
    });
    expect(spent.windows.find((w: { period: string }) => w.period === 'daily').spent).toBeCloseTo(
      fixed.cost!,
      6,
    );
    expect(spent.recent[0]).toMatchObject({
      path: 'agent',
      model: 'openai:scripted-model',
      commandId: fixed.commandId,
    });

    expect((await t.run('undo that')).status).toBe('succeeded');
    expect(learned(t).models['openai:scripted-model']?.[key!]).toMatchObject({ successes: 0, failures: 1 });
    expect((await t.run('redo')).status).toBe('succeeded');
    expect(learned(t).models['openai:scripted-model']?.[key!]).toMatchObject({ successes: 1, failures: 0 });
    // The store has it too, for the router.
    expect(t.rt.models.stats.forTask(key!).get('openai:scripted-model')).toMatchObject({
      successes: 1,
      failures: 0,
    });
  }, 120_000); // three ralex processes besides the commands

  it('the user editing the lines a verified change wrote, soon after, makes it half a success; other lines do not', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      preferences: PRICED,
      script: [edit(BUG, FIX), { text: 'Fixed.' }],
    });
    const fixed = await t.run('fix the failing test in user auth dot js, execute');
    expect(fixed.commit).toBeTruthy();
    const source = await t.repo.read('src/user_auth.js');
    // An edit elsewhere in the file is not about the agent's line.
    await t.repo.write('src/user_auth.js', `// reviewed\n${source}`);
    await t.repo.write('README.md', '# changed readme\n');
    await t.run('what changed');
    expect(t.rt.models.stats.all()[0]).toMatchObject({ successes: 1, failures: 0 });
    // The user rewrites the very line the agent fixed.
    await t.repo.write('src/user_auth.js', source.replace(FIX, 'if (!stored) { return false; }'));
    await t.run('what changed');
    expect(t.rt.models.stats.all()[0]).toMatchObject({ successes: 0.5, failures: 0.5 });
    expect(t.rt.models.stats.outcomeOf(fixed.commandId)?.outcome).toBe('edited');
  });

  it('a change rolled back after failing checks is a failure; a question teaches nothing', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: `${PRICED}checks:\n  max_attempts: 1\n`,
      script: [
        edit("'-' + pad(date.getUTCDate())", "'/' + pad(date.getUTCDate())", 'src/utils/format_date.js'),
        { text: 'Changed the separator.' },
        { text: 'It formats dates.' },
      ],
    });
    const failed = await t.run('implement slashes in format date');
    expect(failed.status).toBe('failed');
    const stats = t.rt.models.stats.all();
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ model: 'openai:scripted-model', successes: 0, failures: 1 });
    expect(stats[0]?.task.startsWith('implement/')).toBe(true);
    // What the failed change spent is in its result.
    expect(failed.cost).toBeGreaterThan(0);
    await t.run('what does format date do');
    expect(t.rt.models.stats.all()).toHaveLength(1);
  });
});
