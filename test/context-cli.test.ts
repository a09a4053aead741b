import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, runGit, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { runCli } from './helpers/run-cli.js';

describe('ralex context, memory and sync on the command line', () => {
  const repos: TempGitRepo[] = [];
  afterEach(async () => {
    for (const r of repos.splice(0)) await r.cleanup();
  });

  it('ralex context --json prints the ranked package; a bad budget is a clear error', async () => {
    const repo = await createTempGitRepo({
      files: {
        'src/billing/invoice.ts':
          'export function computeInvoiceTotal(items: number[]) {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
        'src/other.ts': 'export const unrelated = 1;\n',
        '.gitignore': '.ralex/state/\n',
      },
    });
    repos.push(repo);
    const r = await runCli(['context', '--json', '--budget', '3000', 'explain computeInvoiceTotal'], {
      cwd: repo.dir,
    });
    expect(r.code).toBe(0);
    const pkg = JSON.parse(r.stdout);
    expect(pkg.command.intent).toBe('explain');
    expect(pkg.budget).toBe(3000);
    expect(pkg.items[0]).toMatchObject({ kind: 'file', path: 'src/billing/invoice.ts' });
    expect(pkg.items[0].reasons).toContain('defines `computeInvoiceTotal`');
    expect(typeof pkg.items[0].score).toBe('number');
    expect(pkg.tokens).toBeLessThanOrEqual(3000);
    const human = await runCli(['context', 'explain computeInvoiceTotal'], { cwd: repo.dir });
    expect(human.stdout).toMatch(/^Context for "explain computeInvoiceTotal" \(explain\): \d+ items/);
    const direct = await runCli(['context', '--json', 'what changed'], { cwd: repo.dir });
    expect(JSON.parse(direct.stdout)).toMatchObject({ direct: true, items: [] });
    const bad = await runCli(['context', '--budget', 'lots', 'explain it'], { cwd: repo.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--budget must be a whole number/);
  });

  it('two clones with a shared bare remote exchange memory with ralex sync', async () => {
    const remote = await createTempGitRepo({ name: 'remote', commit: false });
    await runGit(remote.dir, ['config', 'core.bare', 'true']);
    const a = await createTempGitRepo({ name: 'a', files: { 'x.py': 'x = 1\n' } });
    await a.git('remote', 'add', 'origin', join(remote.dir, '.git'));
    await a.git('push', '-q', 'origin', 'main');
    const b = await createTempGitRepo({ name: 'b', commit: false });
    await b.git('remote', 'add', 'origin', join(remote.dir, '.git'));
    await b.git('fetch', '-q', 'origin');
    await b.git('checkout', '-q', '-b', 'main', 'origin/main');
    repos.push(remote, a, b);

    expect((await runCli(['memory', 'remember', 'Prefers pytest over unittest'], { cwd: a.dir })).code).toBe(
      0,
    );
    const refused = await runCli(
      ['memory', 'remember', 'the token is ghp_abcdefghijklmnopqrstuvwxyz123456'],
      { cwd: a.dir },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Not remembered: it looks like it contains a credential/);
    const sent = JSON.parse((await runCli(['sync', '--json'], { cwd: a.dir })).stdout);
    expect(sent).toMatchObject({ remote: 'origin', pushed: true, sent: ['context/user_patterns.md'] });
    const got = JSON.parse((await runCli(['sync', '--json'], { cwd: b.dir })).stdout);
    expect(got.received).toEqual(['context/user_patterns.md']);
    const shown = JSON.parse((await runCli(['memory', '--json'], { cwd: b.dir })).stdout);
    expect(shown.entries.map((e: { text: string }) => e.text)).toEqual(['Prefers pytest over unittest']);
    const forgot = await runCli(['memory', 'forget', 'pytest'], { cwd: b.dir });
    expect(forgot.stdout).toMatch(/Forgot \(user_patterns.md\): Prefers pytest over unittest/);
  });
});
