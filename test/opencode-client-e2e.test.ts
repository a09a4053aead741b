import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOpenCodeBinary } from '../src/engine/opencode/opencode-binary.js';
import { OPENCODE_OFFLINE_ENV } from '../src/engine/opencode/opencode-server.js';
import type { RalexEvent } from '../src/events/events.js';
import { type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
let home: string | undefined;
afterEach(async () => {
  await ralex?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/**
 * The OpenCode configuration docs/clients.md gives: Ralex as a provider with both models, an
 * agent "ralex" on ralex-agent with OpenCode's own tools off (Ralex works with its own), and no
 * small_model — so OpenCode's hidden title request goes to ralex-agent too, the case that ran
 * one spoken fix twice.
 */
function openCodeConfig(r: RalexUnderTest, model: string) {
  return {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      ralex: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Ralex',
        options: { baseURL: `${r.url}/v1`, apiKey: r.token },
        models: { 'ralex-agent': { name: 'Ralex agent' }, 'ralex-auto': { name: 'Ralex auto' } },
      },
    },
    enabled_providers: ['ralex'],
    model,
    agent: {
      ralex: {
        mode: 'primary',
        model: 'ralex/ralex-agent',
        description: 'Ralex runs the request on the project: checked, tested, committed',
        tools: { '*': false },
      },
    },
    share: 'disabled',
    autoupdate: false,
  };
}

/** Runs `opencode run` (the real binary, offline, private HOME) with one prompt. */
async function opencodeRun(r: RalexUnderTest, model: string, args: string[]) {
  const binary = resolveOpenCodeBinary();
  if (!binary)
    throw new Error('opencode-ai is not installed: run npm install (it is an optional dependency).');
  home = mkdtempSync(join(tmpdir(), 'ralex-opencode-client-'));
  const child = spawn(binary, ['run', ...args], {
    cwd: home,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_STATE_HOME: join(home, 'state'),
      OPENCODE_CONFIG_CONTENT: JSON.stringify(openCodeConfig(r, model)),
      ...OPENCODE_OFFLINE_ENV,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, output };
}

const accepted = (r: RalexUnderTest) =>
  r.rt.bus.log
    .read({})
    .filter((e): e is Extract<RalexEvent, { type: 'command.accepted' }> => e.type === 'command.accepted');

describe('OpenCode with Ralex as its provider (the real opencode binary)', () => {
  it('ralex-agent: a real title request and a real prompt make exactly one command', async () => {
    const logs: string[] = [];
    ralex = await startRalex({
      files: { 'README.md': '# demo\n', 'src/app.js': 'export const x = 1;\n' },
      script: null,
      server: { log: { level: 'info', stream: { write: (line: string) => logs.push(line) } } },
    });
    await ralex.repo.write('src/app.js', 'export const x = 2;\n');
    const run = await opencodeRun(ralex, 'ralex/ralex-agent', ['--agent', 'ralex', 'what changed']);
    expect(run.code, run.output).toBe(0);
    // OpenCode printed Ralex's answer: the direct command ran, with no model needed.
    expect(run.output).toContain('src/app.js');
    expect(accepted(ralex).map((e) => e.text)).toEqual(['what changed']);
    // OpenCode's title request reached ralex-agent and was answered as a chat.
    const entries = logs.map((line) => JSON.parse(line));
    expect(entries.filter((e) => e.task === 'title' && e.client === 'opencode')).toHaveLength(1);
    expect(entries.filter((e) => e.turn === 'command')).toHaveLength(1);
    const [session] = ralex.rt.sessions.list();
    expect(session?.id).toMatch(/^oc_ses_/);
  }, 120_000);

  it('ralex-auto: OpenCode keeps its own tool loop, and no command runs', async () => {
    ralex = await startRalex({
      files: { 'README.md': '# demo\n' },
      script: [],
    });
    ralex.model!.push((request) => {
      const system = String(request.body?.messages?.[0]?.content ?? '');
      return {
        text: system.startsWith('You are a title generator') ? 'Project overview' : 'This is a demo project.',
      };
    });
    ralex.model!.push((request) => {
      const system = String(request.body?.messages?.[0]?.content ?? '');
      return {
        text: system.startsWith('You are a title generator') ? 'Project overview' : 'This is a demo project.',
      };
    });
    const run = await opencodeRun(ralex, 'ralex/ralex-auto', ['what does this project do']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('This is a demo project.');
    const sent = ralex.model!.chatRequests();
    expect(sent.length).toBe(2);
    // OpenCode's own tools went through to the routed model untouched.
    expect(sent.some((r) => (r.body?.tools ?? []).length > 0)).toBe(true);
    expect(accepted(ralex)).toEqual([]);
  }, 120_000);
});
