/**
 * Engine bench (issue 4, "Performance"): one-shot `ralex run "fix the failing test in user auth
 * dot js" --json` side by side with `opencode run` of the same request, both against the scripted
 * zero-latency model (in this process: it only answers a handful of requests per run, and a turn
 * function keeps both engines in step). Each run makes the same one-line fix in a temp git repo
 * from `sampleProject({ bug: true })`, reset to its first commit before every run. Ralex also runs
 * the project's tests twice (baseline and after); its orchestration time is wall − tests.
 * Every run is checked (Ralex: status succeeded, file fixed; OpenCode: file fixed); a failed run
 * stops the bench. Targets: Ralex orchestration <= 0.5 s wall, <= 150 MiB peak RSS.
 *
 *   npm run build && node --import tsx bench/engine-bench.ts [--runs 3]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandResult, CommandResultSchema } from '../src/command/command-result.js';
import { resolveOpenCodeBinary } from '../src/engine/opencode/opencode-binary.js';
import { sampleProject } from '../test/fixtures/sample-projects.js';
import { startScriptedModelServer } from '../test/fixtures/scripted-model-server.js';
import { createTempGitRepo, type TempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { median, met, ms, printTable, summarize } from './bench-stats.js';
import {
  engineTurn,
  FIX,
  type MeasuredRun,
  MODEL_ID,
  measureCommand,
  OPENCODE_MODEL,
  openCodeEnv,
  ralexPhases,
  ralexTimeline,
} from './engine-bench-parts.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT_DIR, 'dist/cli/main.js');
const REQUEST = 'fix the failing test in user auth dot js';
const TARGET_ORCHESTRATION_MS = 500;
const TARGET_RSS_MIB = 150;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** One measured case: its runs, and for Ralex the parsed results. */
interface Case {
  label: string;
  runs: MeasuredRun[];
  results: CommandResult[];
}

/** A temp repo of the buggy sample project, `.ralex/state/` ignored, committed. */
async function sampleRepo(name: string): Promise<{ repo: TempGitRepo; base: string }> {
  const files = sampleProject({ bug: true });
  const repo = await createTempGitRepo({
    name,
    files: { ...files, '.gitignore': `${files['.gitignore'] ?? ''}.ralex/state/\n` },
  });
  return { repo, base: await repo.git('rev-parse', 'HEAD') };
}

/** Back to the first commit, untracked files removed (ignored ones, e.g. `.ralex/state/`, kept). */
async function reset(repo: TempGitRepo, base: string): Promise<void> {
  await repo.git('reset', '-q', '--hard', base);
  await repo.git('clean', '-q', '-fd');
  if (!(await repo.read('src/user_auth.js')).includes(FIX.before))
    throw new Error('reset left the fix in place');
}

/** The result JSON of `ralex run --json`: its last line, `{"type":"result","result":{...}}`. */
function ralexResult(stdout: string): CommandResult {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const line = JSON.parse(last) as { type?: string; result?: unknown };
  if (line.type !== 'result') throw new Error(`last line is not a result: ${last.slice(0, 300)}`);
  return CommandResultSchema.parse(line.result);
}

const testsMs = (r: CommandResult) => r.checks.reduce((sum, c) => sum + c.durationMs, 0);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Math.min(10, Math.max(1, Number(values.runs) || 3));
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const OPENCODE = resolveOpenCodeBinary();
  if (!OPENCODE) throw new Error('the opencode binary is missing (optional dependency opencode-ai)');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing (Debian package `time`)');

  const target = { openCodeFile: '' };
  const model = await startScriptedModelServer({ models: [MODEL_ID], defaultReply: engineTurn(target) });
  const ralex = await sampleRepo('engine-bench-ralex');
  const open = await sampleRepo('engine-bench-opencode');
  const openState = await mkdtemp(join(tmpdir(), 'engine-bench-opencode-state-'));
  target.openCodeFile = join(open.repo.dir, 'src/user_auth.js');
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  const ralexEnv = { ...base, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'x' };
  const openEnv = await openCodeEnv(model.url, openState);
  const loadAtStart = load();
  console.log(
    `engine bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${loadAtStart}, ${new Date().toISOString()}`,
  );
  console.log('scripted model: in the bench process (startScriptedModelServer, turn function per request)');

  const cases = {
    nodeE: { label: 'node -e 0', runs: [], results: [] } as Case,
    version: { label: 'ralex --version', runs: [], results: [] } as Case,
    npmTest: { label: 'npm test (the project alone, failing)', runs: [], results: [] } as Case,
    ralex: { label: `ralex run "${REQUEST}" --json`, runs: [], results: [] } as Case,
    opencode: { label: `opencode run "${REQUEST}"`, runs: [], results: [] } as Case,
  };
  const failures: string[] = [];
  let phases: [string, number][] = [];
  try {
    // Round -1 warms up (OS file cache, Ralex's .ralex/state and OpenCode's database).
    for (let round = -1; round < runs; round++) {
      const keep = (c: Case, run: MeasuredRun) => round >= 0 && c.runs.push(run);
      keep(
        cases.nodeE,
        await measureCommand(process.execPath, ['-e', '0'], { env: base, timeoutMs: 10_000 }),
      );
      keep(
        cases.version,
        await measureCommand(process.execPath, [CLI, '--version'], { env: base, timeoutMs: 10_000 }),
      );
      await reset(ralex.repo, ralex.base);
      keep(
        cases.npmTest,
        await measureCommand('npm', ['test'], { env: base, cwd: ralex.repo.dir, timeoutMs: 30_000 }),
      );

      await reset(ralex.repo, ralex.base);
      const r = await measureCommand(
        process.execPath,
        [CLI, 'run', REQUEST, '--json', '--project', ralex.repo.dir],
        {
          env: ralexEnv,
          timeoutMs: 60_000,
        },
      );
      try {
        const result = ralexResult(r.stdout);
        const fixed = (await ralex.repo.read('src/user_auth.js')).includes(FIX.after);
        if (r.code !== 0 || result.status !== 'succeeded' || !fixed || result.commit === null)
          throw new Error(
            `exit ${r.code}, status ${result.status}, file fixed: ${fixed}, error ${JSON.stringify(result.error)}`,
          );
        keep(cases.ralex, r);
        if (round >= 0) cases.ralex.results.push(result);
      } catch (error) {
        failures.push(`Ralex run ${round}: ${(error as Error).message}\n${r.stderr.slice(-1500)}`);
      }

      await reset(open.repo, open.base);
      const o = await measureCommand(
        OPENCODE,
        ['run', REQUEST, '--model', OPENCODE_MODEL, '--format', 'json', '--dir', open.repo.dir],
        { env: openEnv, cwd: open.repo.dir, timeoutMs: 90_000 },
      );
      const fixed = (await open.repo.read('src/user_auth.js')).includes(FIX.after);
      if (o.code === 0 && fixed) keep(cases.opencode, o);
      else
        failures.push(
          `OpenCode run ${round}: exit ${o.code}, file fixed: ${fixed}\n${o.stdout.slice(-1500)}\n${o.stderr.slice(-1500)}`,
        );
      if (failures.length > 0) break;
    }
    if (failures.length === 0)
      phases = await ralexPhases(pathToFileURL(join(ROOT_DIR, 'dist/')).href, ralex.repo.dir, 3);
  } finally {
    await model.close();
    await ralex.repo.cleanup();
    await open.repo.cleanup();
    await rm(openState, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\nFAILED: a bench that measures failures is worthless.\n${failures.join('\n\n')}`);
    process.exitCode = 1;
    return;
  }
  report(cases, runs, loadAtStart);
  printTable(
    'Ralex: import and checkpoint costs, each in a fresh process (median of 3, ms)',
    ['phase', 'ms'],
    phases.map(([name, value]) => [name, ms(value)]),
  );
}

/** Prints the comparison table and, for Ralex, the stages of a run. */
function report(cases: Record<string, Case>, runs: number, loadAtStart: string): void {
  const ralexTests = cases.ralex!.results.map(testsMs);
  const orchestration = cases.ralex!.runs.map((r, i) => r.ms - ralexTests[i]!);
  const row = (c: Case, tests: number[] | null, orch: number[] | null, targets: boolean) => {
    const wall = summarize(c.runs.map((r) => r.ms));
    const rss = median(c.runs.map((r) => r.rssMiB));
    return [
      c.label,
      String(wall.n),
      ms(wall.p50),
      ms(wall.max),
      tests ? ms(median(tests)) : '-',
      orch ? ms(median(orch)) : '-',
      ms(median(c.runs.map((r) => r.cpuMs))),
      rss.toFixed(1),
      targets && orch ? met(median(orch) <= TARGET_ORCHESTRATION_MS) : '-',
      targets ? met(rss <= TARGET_RSS_MIB) : '-',
    ];
  };
  printTable(
    `Wall ms spawn to exit, CPU ms (user+sys incl. children), peak RSS MiB of the largest process (GNU time %M); ${runs} runs each, interleaved; load ${loadAtStart} → ${load()} (targets for Ralex: orchestration <= ${TARGET_ORCHESTRATION_MS} ms, RSS <= ${TARGET_RSS_MIB} MiB)`,
    [
      'command',
      'runs',
      'wall p50',
      'wall max',
      'tests p50',
      'orchestration p50',
      'CPU p50',
      'peak RSS p50',
      'orch. met',
      'RSS met',
    ],
    [
      row(cases.nodeE!, null, null, false),
      row(cases.version!, null, null, false),
      row(cases.npmTest!, null, null, false),
      row(cases.ralex!, ralexTests, orchestration, true),
      row(cases.opencode!, null, null, false),
    ],
  );
  const results = cases.ralex!.results;
  const stageNames = [...new Set(results.flatMap((r) => r.stages.map((s) => s.stage)))];
  const stageMs = (name: string) =>
    results.map((r) => r.stages.find((s) => s.stage === name)?.durationMs ?? 0);
  const checkNames = [...new Set(results.flatMap((r) => r.checks.map((c) => c.name)))];
  const checkMs = (name: string) =>
    results.map((r) => r.checks.find((c) => c.name === name)?.durationMs ?? 0);
  printTable(
    'Ralex: where a run goes, ms (median over runs; stages and checks from the result JSON)',
    ['part', 'ms'],
    [
      ['whole process (wall)', ms(median(cases.ralex!.runs.map((r) => r.ms)))],
      ['result.durationMs (the pipeline, in process)', ms(median(results.map((r) => r.durationMs)))],
      [
        'outside the pipeline (start-up, imports, runtime, exit)',
        ms(median(cases.ralex!.runs.map((r, i) => r.ms - results[i]!.durationMs))),
      ],
      ...stageNames.map((name) => [`stage ${name}`, ms(median(stageMs(name)))]),
      ...checkNames.map((name) => [`check "${name}" (inside execute)`, ms(median(checkMs(name)))]),
    ],
  );
  timelineTable(cases.ralex!.runs);
}

/** The gaps between Ralex's events (median over runs), the large ones by name, the rest summed. */
function timelineTable(runs: MeasuredRun[]): void {
  const perRun = runs.map((run) => {
    const byLabel = new Map<string, number>();
    for (const [label, gap] of ralexTimeline(run)) byLabel.set(label, (byLabel.get(label) ?? 0) + gap);
    return byLabel;
  });
  const labels = [...new Set(perRun.flatMap((m) => [...m.keys()]))];
  const medians = labels.map((label) => [label, median(perRun.map((m) => m.get(label) ?? 0))] as const);
  const large = medians.filter(([, gap]) => gap >= 5);
  const rest = medians.filter(([, gap]) => gap < 5).reduce((sum, [, gap]) => sum + gap, 0);
  printTable(
    'Ralex: time between successive events of `run --json` (median over runs, ms; gaps >= 5 ms by name)',
    ['from → to', 'ms'],
    [
      ...large.map(([label, gap]) => [label, ms(gap)]),
      [`all ${medians.length - large.length} smaller gaps`, ms(rest)],
    ],
  );
}

await main();
