/**
 * The router simulation: a workload of coding tasks of mixed difficulty against four scripted
 * models with different prices and success rates (hidden from the router), each answer a real
 * request to the scripted OpenAI-compatible server, its usage priced as the ledger prices it.
 * Ralex's router (real scoring, real Beta statistics in SQLite, learning from each outcome) is
 * compared with always-the-best, always-the-cheapest and a LiteLLM-like cost-based strategy
 * (the cheapest model whose window fits; no quality signal), all on the same tasks and the same
 * random draws. Target (issue 12): after learning, >= 95% of always-the-best's success at <= 40%
 * of its cost.
 *
 *   node --import tsx bench/router-simulation-bench.ts [--tasks 2000] [--seeds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoutingSchema } from '../src/config/models-schema.js';
import { costOf, describeModel, type ModelInfo } from '../src/models/model-info.js';
import { createPerformanceStats } from '../src/models/performance-stats.js';
import { routeModel } from '../src/models/route-model.js';
import { taskTypeOf } from '../src/models/task-type.js';
import { openDatabase } from '../src/store/database.js';
import { startScriptedModelServer } from '../test/fixtures/scripted-model-server.js';
import { met, printTable } from './bench-stats.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TASKS = arg('tasks', 2000);
const SEEDS = arg('seeds', 3);

type Difficulty = 'easy' | 'medium' | 'hard';
/** The models: prices per million tokens (as preferences would give them), window, and hidden success rates. */
const MODELS: {
  id: string;
  input: number;
  output: number;
  window: number;
  success: Record<Difficulty, number>;
}[] = [
  {
    id: 'sim:premium',
    input: 15,
    output: 75,
    window: 200_000,
    success: { easy: 0.97, medium: 0.93, hard: 0.85 },
  },
  {
    id: 'sim:strong',
    input: 3,
    output: 15,
    window: 200_000,
    success: { easy: 0.96, medium: 0.9, hard: 0.78 },
  },
  {
    id: 'sim:mid',
    input: 0.4,
    output: 1.6,
    window: 128_000,
    success: { easy: 0.94, medium: 0.8, hard: 0.5 },
  },
  {
    id: 'sim:cheap',
    input: 0.1,
    output: 0.4,
    window: 8_192,
    success: { easy: 0.9, medium: 0.6, hard: 0.25 },
  },
];
/** The workload: share of tasks, the parse stage's complexity, prompt and answer sizes. */
const MIX: { difficulty: Difficulty; share: number; complexity: number; prompt: number; output: number }[] = [
  { difficulty: 'easy', share: 0.5, complexity: 2, prompt: 2_000, output: 300 },
  { difficulty: 'medium', share: 0.35, complexity: 5, prompt: 6_000, output: 800 },
  { difficulty: 'hard', share: 0.15, complexity: 8, prompt: 12_000, output: 1_500 },
];
const INTENTS = ['fix_bug', 'implement', 'refactor', 'test'] as const;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const overrides = Object.fromEntries(
  MODELS.map((m) => [m.id, { input: m.input, output: m.output, context_window: m.window, tools: true }]),
);
const infos: ModelInfo[] = MODELS.map((m) => describeModel(m.id, null, { overrides }));
const routing = RoutingSchema.parse({});

interface Task {
  intent: (typeof INTENTS)[number];
  mix: (typeof MIX)[number];
  /** The draw that decides success (the same for every strategy). */
  draw: number;
}

function workload(seed: number): Task[] {
  const r = rng(seed);
  return Array.from({ length: TASKS }, () => {
    const x = r();
    const mix = x < MIX[0]!.share ? MIX[0]! : x < MIX[0]!.share + MIX[1]!.share ? MIX[1]! : MIX[2]!;
    return { intent: INTENTS[Math.floor(r() * INTENTS.length)]!, mix, draw: r() };
  });
}

const server = await startScriptedModelServer({
  models: MODELS.map((m) => m.id.slice(4)),
  record: false,
  // Each answer reports the usage a task of its size would have.
  defaultReply: (request) => {
    const size = Number((request.body?.metadata as { size?: string } | undefined)?.size ?? '0');
    const mix = MIX[size]!;
    return { text: 'done', usage: { prompt_tokens: mix.prompt, completion_tokens: mix.output } };
  },
  validate: false,
});

/** Runs the task on the model over HTTP and prices the usage it reports. */
async function call(model: ModelInfo, task: Task): Promise<number> {
  const response = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: model.model,
      messages: [{ role: 'user', content: task.intent }],
      metadata: { size: String(MIX.indexOf(task.mix)) },
    }),
  });
  const body = (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
  return (
    costOf(model, { inputTokens: body.usage.prompt_tokens, outputTokens: body.usage.completion_tokens }) ?? 0
  );
}

type Strategy = (task: Task) => ModelInfo;
const fits = (m: ModelInfo, t: Task) => (m.contextWindow ?? Infinity) >= t.mix.prompt + t.mix.output;
const byId = (id: string) => infos.find((m) => m.id === id)!;

interface Outcome {
  success: number;
  cost: number;
  lateSuccess: number;
  lateCost: number;
  late: number;
  picks: Record<string, Record<Difficulty, number>>;
}

async function simulate(
  tasks: Task[],
  pick: Strategy,
  learn?: (t: Task, m: ModelInfo, ok: boolean) => void,
): Promise<Outcome> {
  const out: Outcome = { success: 0, cost: 0, lateSuccess: 0, lateCost: 0, late: 0, picks: {} };
  const lateFrom = Math.floor(tasks.length / 2);
  for (const [i, task] of tasks.entries()) {
    const model = pick(task);
    const cost = await call(model, task);
    const ok = task.draw < MODELS.find((m) => m.id === model.id)!.success[task.mix.difficulty];
    learn?.(task, model, ok);
    out.success += Number(ok);
    out.cost += cost;
    if (i >= lateFrom) {
      out.late++;
      out.lateSuccess += Number(ok);
      out.lateCost += cost;
    }
    out.picks[model.id] ??= { easy: 0, medium: 0, hard: 0 };
    out.picks[model.id]![task.mix.difficulty]++;
  }
  return out;
}

const totals = new Map<string, Outcome[]>();
for (let seed = 1; seed <= SEEDS; seed++) {
  const tasks = workload(seed);
  const dir = mkdtempSync(join(tmpdir(), 'ralex-router-sim-'));
  const db = openDatabase(join(dir, 'stats.db'));
  const stats = createPerformanceStats(db);
  const router =
    (weights: typeof routing.weights): Strategy =>
    (task) => {
      const type = taskTypeOf(task.intent, task.mix.complexity);
      const d = routeModel({
        task: type,
        candidates: infos,
        promptTokens: task.mix.prompt,
        expectedOutputTokens: routing.expected_output_tokens,
        stats: stats.forTask(type.key),
        pooled: stats.forDifficulty(type.difficulty),
        latencies: new Map(),
        routing: { ...routing, weights },
        coolingMs: () => 0,
      });
      return byId(d.model);
    };
  let n = 0;
  const learner = (t: Task, m: ModelInfo, ok: boolean) => {
    const type = taskTypeOf(t.intent, t.mix.complexity);
    stats.record({
      changeId: `c${seed}-${n++}`,
      commandId: 'sim',
      model: m.id,
      task: type.key,
      outcome: ok ? 'verified' : 'rolled_back',
      now: new Date().toISOString(),
    });
  };
  const strategies: [string, Strategy, ((t: Task, m: ModelInfo, ok: boolean) => void)?][] = [
    ['always the best (premium)', () => byId('sim:premium')],
    ['always the cheapest', () => byId('sim:cheap')],
    [
      'LiteLLM-like cost-based',
      (t) => [...infos].sort((a, b) => a.prices.output! - b.prices.output!).find((m) => fits(m, t))!,
    ],
    ['Ralex router (learning)', router(routing.weights), learner],
    [
      'Ralex router, capability 0.3 cost 0.3',
      router({ capability: 0.3, cost: 0.3, performance: 0.3, context: 0.1, latency: 0 }),
      learner,
    ],
    [
      'Ralex router, cost-leaning weights',
      router({ capability: 0.2, cost: 0.4, performance: 0.3, context: 0.1, latency: 0 }),
      learner,
    ],
  ];
  for (const [name, pick, learn] of strategies) {
    db.exec('DELETE FROM model_stats; DELETE FROM model_outcomes;'); // each learner starts knowing nothing
    const o = await simulate(tasks, pick, learn);
    totals.set(name, [...(totals.get(name) ?? []), o]);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
await server.close();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const best = totals.get('always the best (premium)')!;
const bestRate = mean(best.map((o) => o.success / TASKS));
const bestCost = mean(best.map((o) => o.cost));
const bestLateRate = mean(best.map((o) => o.lateSuccess / o.late));
const bestLateCost = mean(best.map((o) => o.lateCost));
const rows = [...totals.entries()].map(([name, os]) => {
  const rate = mean(os.map((o) => o.success / TASKS));
  const cost = mean(os.map((o) => o.cost));
  const lateRate = mean(os.map((o) => o.lateSuccess / o.late));
  const lateCost = mean(os.map((o) => o.lateCost));
  return [
    name,
    `${(rate * 100).toFixed(1)} %`,
    `$${cost.toFixed(2)}`,
    `${((lateRate / bestLateRate) * 100).toFixed(1)} %`,
    `${((lateCost / bestLateCost) * 100).toFixed(1)} %`,
  ];
});
process.stdout.write(
  `router simulation: ${TASKS} tasks × ${SEEDS} seeds (50% easy, 35% medium, 15% hard), 4 models; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
printTable(
  'Success and cost (whole run); success and cost relative to always-the-best over the second half (after learning)',
  ['strategy', 'success', 'cost', 'success vs best (2nd half)', 'cost vs best (2nd half)'],
  rows,
);
const ralexRuns = totals.get('Ralex router (learning)')!;
const leaning = totals.get('Ralex router, cost-leaning weights')!;
const last = ralexRuns.at(-1)!;
printTable(
  'Where the Ralex router sent each difficulty (last seed, whole run)',
  ['model', 'easy', 'medium', 'hard'],
  MODELS.map((m) => [
    m.id,
    ...(['easy', 'medium', 'hard'] as const).map((d) => String(last.picks[m.id]?.[d] ?? 0)),
  ]),
);
const lateRate = mean(ralexRuns.map((o) => o.lateSuccess / o.late)) / bestLateRate;
const lateCost = mean(ralexRuns.map((o) => o.lateCost)) / bestLateCost;
printTable(
  'Target (issue 12): after learning, >= 95% of always-the-best’s success at <= 40% of its cost',
  ['measure', 'value', 'target', 'met'],
  [
    [
      'success vs always-the-best (default weights)',
      `${(lateRate * 100).toFixed(1)} %`,
      '>= 95 %',
      met(lateRate >= 0.95),
    ],
    [
      'cost vs always-the-best (default weights)',
      `${(lateCost * 100).toFixed(1)} %`,
      '<= 40 %',
      met(lateCost <= 0.4),
    ],
    [
      'success vs always-the-best (cost-leaning)',
      `${((mean(leaning.map((o) => o.lateSuccess / o.late)) / bestLateRate) * 100).toFixed(1)} %`,
      '>= 95 %',
      met(mean(leaning.map((o) => o.lateSuccess / o.late)) / bestLateRate >= 0.95),
    ],
    [
      'cost vs always-the-best (cost-leaning)',
      `${((mean(leaning.map((o) => o.lateCost)) / bestLateCost) * 100).toFixed(1)} %`,
      '<= 40 %',
      met(mean(leaning.map((o) => o.lateCost)) / bestLateCost <= 0.4),
    ],
    ['always-the-best success (2nd half)', `${(bestLateRate * 100).toFixed(1)} %`, '', ''],
    [
      'always-the-best cost (whole run)',
      `$${bestCost.toFixed(2)} (${(bestRate * 100).toFixed(1)} %)`,
      '',
      '',
    ],
  ],
);
