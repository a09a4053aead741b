import { describe, expect, it } from 'vitest';
import { RoutingSchema } from '../config/models-schema.js';
import { loadModelCatalog } from './model-catalog.js';
import { describeModel, type ModelInfo } from './model-info.js';
import type { TaskStats } from './performance-stats.js';
import { routeModel } from './route-model.js';
import { taskTypeOf } from './task-type.js';

const routing = RoutingSchema.parse({});
const catalog = await loadModelCatalog();
const info = (id: string, over: Record<string, unknown> = {}): ModelInfo =>
  describeModel(id, catalog, { overrides: over ? { [id]: over } : {} });

const route = (candidates: ModelInfo[], extra: Partial<Parameters<typeof routeModel>[0]> = {}) =>
  routeModel({
    task: taskTypeOf('fix_bug', 7),
    candidates,
    promptTokens: 6000,
    expectedOutputTokens: 1024,
    stats: new Map(),
    latencies: new Map(),
    routing,
    coolingMs: () => 0,
    ...extra,
  });

describe('the catalog', () => {
  it('knows prices, windows and capabilities, also under another provider’s name or a dated id', () => {
    const mini = info('openai:gpt-4o-mini');
    expect(mini).toMatchObject({
      priceSource: 'catalog',
      contextWindow: 128000,
      tools: true,
      catalog: 'openai/gpt-4o-mini',
    });
    expect(mini.prices).toEqual({ input: 0.15, output: 0.6, cachedInput: 0.08 });
    expect(info('openrouter:anthropic/claude-sonnet-4').catalog).toBe('openrouter/anthropic/claude-sonnet-4');
    expect(info('gateway:gpt-4o-mini-2024-07-18').catalog).toBe('openai/gpt-4o-mini');
    expect(info('ollama:llama3:8b')).toMatchObject({ priceSource: 'local', prices: { input: 0, output: 0 } });
    const unknown = info('team:house-model-7');
    expect(unknown).toMatchObject({
      priceSource: 'unknown',
      prices: { input: null, output: null },
      tools: null,
    });
    expect(
      describeModel('team:house-model-7', catalog, { overrides: {}, unknown_price: { input: 2, output: 8 } }),
    ).toMatchObject({
      priceSource: 'default',
      prices: { input: 2, output: 8 },
    });
    // Preferences override the catalog.
    expect(info('openai:gpt-4o-mini', { input: 0.1 }).prices).toMatchObject({ input: 0.1, output: 0.6 });
  });
});

describe('the router', () => {
  it('sends a hard fix to the stronger model and says why, with the estimate', () => {
    const d = route([info('openai:gpt-4o-mini'), info('anthropic:claude-sonnet-4-20250514')]);
    expect(d.model).toBe('anthropic:claude-sonnet-4-20250514');
    expect(d.reason).toMatch(
      /^fix_bug, complexity 7 \(hard\): anthropic:claude-sonnet-4-20250514 over openai:gpt-4o-mini \(\+0\.\d\d capability, [+−]0\.\d\d (performance|cost)\), est\. \$0\.0\d+$/,
    );
    expect(d.estimatedCost).toBeCloseTo((6000 * 3 + 1024 * 15) / 1e6, 9);
    expect(d.fallbacks).toEqual(['openai:gpt-4o-mini']);
    expect(d.candidates[0]?.capability).toBeGreaterThan(d.candidates[1]!.capability);
  });

  it('sends an easy question to the cheap model', () => {
    const d = route([info('anthropic:claude-sonnet-4-20250514'), info('openai:gpt-4o-mini')], {
      task: taskTypeOf('question', 2),
      promptTokens: 2000,
      expectedOutputTokens: 300,
    });
    expect(d.model).toBe('openai:gpt-4o-mini');
    expect(d.reason).toMatch(/cost/);
  });

  it('learns: a cheap model that keeps succeeding at hard fixes wins them, one that keeps failing loses them', () => {
    const candidates = [info('openai:gpt-4o-mini'), info('anthropic:claude-sonnet-4-20250514')];
    const good: Map<string, TaskStats> = new Map([
      [
        'openai:gpt-4o-mini',
        { model: 'openai:gpt-4o-mini', task: 'fix_bug/hard', successes: 40, failures: 1 },
      ],
      [
        'anthropic:claude-sonnet-4-20250514',
        { model: 'anthropic:claude-sonnet-4-20250514', task: 'fix_bug/hard', successes: 30, failures: 10 },
      ],
    ]);
    const d = route(candidates, { stats: good });
    expect(d.model).toBe('openai:gpt-4o-mini');
    expect(d.candidates[0]?.learned).toEqual({ rate: 0.976, outcomes: 41 });
    expect(d.reason).toMatch(/performance/);
  });

  it('leaves out a model whose window cannot hold the prompt, one without tools for agent work, and one cooling down', () => {
    const small = info('team:small', { context_window: 4096, input: 0.1, output: 0.1, tools: true });
    const noTools = info('team:chatty', { input: 0.1, output: 0.1, tools: false });
    const cooling = info('team:flaky', { input: 0.1, output: 0.1, tools: true });
    const d = route([small, noTools, cooling, info('openai:gpt-4o')], {
      coolingMs: (id) => (id === 'team:flaky' ? 30_000 : 0),
    });
    expect(d.model).toBe('openai:gpt-4o');
    const why = Object.fromEntries(d.candidates.map((c) => [c.model, c.excluded]));
    expect(why['team:small']).toMatch(/do not fit its 4096-token window/);
    expect(why['team:chatty']).toMatch(/cannot call tools/);
    expect(why['team:flaky']).toMatch(/cooling down for 30 s/);
    expect(d.fallbacks).toEqual([]);
    // A chat needs no tools.
    expect(route([noTools], { task: taskTypeOf(null) }).candidates[0]?.excluded).toBeUndefined();
  });

  it('decides among 200 models in well under the 2 ms budget (timed properly in bench/router-bench.ts)', () => {
    const all = Array.from({ length: 200 }, (_, i) =>
      info(`p${i % 7}:model-${i}`, { input: 0.1 + i / 10, output: 0.3 + i / 5, tools: true }),
    );
    const started = performance.now();
    for (let i = 0; i < 20; i++) route(all);
    expect((performance.now() - started) / 20).toBeLessThan(50); // a loose guard against a quadratic slip
  });
});
