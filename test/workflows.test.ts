import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOWS_YAML } from '../src/config/workflows-schema.js';
import { runCommand } from '../src/pipeline/pipeline.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { sampleProject } from './fixtures/sample-projects.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { runCli } from './helpers/run-cli.js';

let repo: TempGitRepo;
let rt: Runtime;
afterEach(async () => {
  await rt?.close();
  await repo?.cleanup();
});

async function open(files: Record<string, string>, workflows: string) {
  repo = await createTempGitRepo({ files });
  await repo.write('.ralex/config/workflows.yaml', workflows);
  rt = await createRuntime({ projectDir: repo.dir, env: { PATH: process.env.PATH }, probeOllama: false });
  return (text: string) => runCommand({ text, source: 'cli' }, rt);
}

describe('workflows from .ralex/config/workflows.yaml', () => {
  it('runs each step as its own command, visibly, by name or trigger phrase', async () => {
    const run = await open(sampleProject(), DEFAULT_WORKFLOWS_YAML);
    const result = await run('run workflow release check');
    expect(result).toMatchObject({ status: 'succeeded', intent: 'workflow' });
    expect(result.reply).toContain('Workflow "release check" finished: 2 steps');
    const steps = rt.bus.log
      .read({ commandId: result.commandId })
      .filter((e) => e.type === 'workflow.step.finished');
    expect(steps.map((s) => [s.text, s.status])).toEqual([
      ['run the tests', 'succeeded'],
      ['what changed', 'succeeded'],
    ]);
    // Each step is a command of its own in the same session, in the store.
    const stepCommands = rt.commands.listBySession(result.sessionId).filter((c) => c.source === 'workflow');
    expect(stepCommands.map((c) => c.intent).sort()).toEqual(['run_tests', 'what_changed']);
    const byTrigger = await run('Ralex, prepare for release');
    expect(byTrigger.reply).toContain('Workflow "release check" finished');
  });

  it('stops at the first failing step', async () => {
    const run = await open(sampleProject({ bug: true }), DEFAULT_WORKFLOWS_YAML);
    const result = await run('prepare for release');
    expect(result.status).toBe('failed');
    expect(result.reply).toContain('stopped at step 1 of 2');
    expect(result.reply).toContain('what changed (not run)');
  });

  it('asks which workflow when the name fits none', async () => {
    const run = await open(sampleProject(), DEFAULT_WORKFLOWS_YAML);
    const result = await run('run workflow deploy everything');
    expect(result.status).toBe('needs_input');
    expect(result.reply).toContain('code review');
    expect(result.reply).toContain('release check');
  });

  it('refuses an invalid workflows.yaml at start, naming the key', async () => {
    repo = await createTempGitRepo();
    await repo.write('.ralex/config/workflows.yaml', 'workflows:\n  broken:\n    steps: []\n');
    const cli = await runCli(['status', '--project', repo.dir]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('workflows.yaml');
    expect(cli.stderr).toContain('workflows.broken.steps');
  });
});
