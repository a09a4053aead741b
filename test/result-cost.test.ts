import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedModelServer, startScriptedModelServer } from './fixtures/scripted-model-server.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';
import { runCli } from './helpers/run-cli.js';

/** $1 per million input tokens, $2 per million output tokens for the scripted model. */
const PRICED = `models:
  overrides:
    "openai:scripted-model": { input: 1, output: 2, max_output: 4000 }
`;

let ralex: RalexUnderTest | undefined;
let repo: TempGitRepo | undefined;
let model: ScriptedModelServer | undefined;
afterEach(async () => {
  await ralex?.close();
  await model?.close();
  await repo?.cleanup();
  ralex = repo = model = undefined;
});

const usage = { prompt_tokens: 1000, completion_tokens: 500 };
/** 1000 input tokens at $1/M and 500 output tokens at $2/M. */
const COST = 0.002;

describe('cost is a number wherever prices are known', () => {
  it('ralex run --json: the result carries cost, the routing candidates and their scores', async () => {
    repo = await createTempGitRepo({ files: { 'README.md': '# demo\n' } });
    await repo.write('.ralex/config/preferences.yaml', PRICED);
    model = await startScriptedModelServer({
      models: ['scripted-model', 'other-model'],
      script: [{ text: 'It is a demo.', usage }],
    });
    const run = await runCli(['run', 'explain the readme', '--json', '--project', repo.dir], {
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' },
    });
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result.cost).toBeCloseTo(COST, 10);
    expect(result.routing.task).toBe('explain/easy');
    expect(result.routing.candidates.map((c: { model: string }) => c.model).sort()).toEqual([
      'openai:other-model',
      'openai:scripted-model',
    ]);
    expect(result.routing.candidates[0]).toMatchObject({ score: expect.any(Number) });
  });

  it('/v1: a ralex-agent answer’s message.ralex, and a pass-through answer’s usage (whole and streamed)', async () => {
    ralex = await startRalex({
      files: { 'README.md': '# demo\n' },
      preferences: PRICED,
      script: [
        { text: 'It is a demo.', usage },
        { text: 'plain', usage },
        { text: 'streamed', usage },
        { text: 'streamed, no usage asked' },
      ],
    });
    const post = (body: Record<string, unknown>) =>
      ralex!.call('/v1/chat/completions', { method: 'POST', body: JSON.stringify(body) });
    const agent = await json(
      await post({ model: 'ralex-agent', messages: [{ role: 'user', content: 'explain the readme' }] }),
    );
    expect(agent.choices[0].message.ralex.cost).toBeCloseTo(COST, 10);

    const messages = [{ role: 'user', content: 'hello' }];
    const whole = await json(await post({ model: 'openai:scripted-model', messages }));
    expect(whole.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 500 });
    expect(whole.usage.cost).toBeCloseTo(COST, 10);

    const streamed = await (
      await post({
        model: 'openai:scripted-model',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    const usageChunk = streamed
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)))
      .find((c) => c.usage);
    expect(usageChunk.usage.cost).toBeCloseTo(COST, 10);
    // A client that did not ask for usage sees none (the chunk Ralex asked for is taken out).
    const plain = await (await post({ model: 'openai:scripted-model', messages, stream: true })).text();
    const chunks = plain
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.filter((c) => c.usage)).toEqual([]);
  });

  it('a model whose price is unknown: cost null, and no made-up cost on the wire', async () => {
    ralex = await startRalex({ files: { 'README.md': '# demo\n' }, script: [{ text: 'plain', usage }] });
    const whole = await json(
      await ralex.call('/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({ model: 'openai:scripted-model', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    );
    expect(whole.usage.prompt_tokens).toBe(1000);
    expect(whole.usage.cost).toBeUndefined();
    expect(ralex.rt.models.ledger.recent(1)[0]).toMatchObject({ priceKnown: false, cost: null });
  });
});
