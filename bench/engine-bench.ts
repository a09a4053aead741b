/**
 * Engine bench (issues 4 and 15): one-shot `ralex run "fix the failing test in user auth dot js"
 * --json` side by side with `opencode run` and the pi coding agent (`pi -p`) of the same request,
 * all against the scripted zero-latency model (in this process: it only answers a handful of
 * requests per run, and a turn function keeps the engines in step). Each run makes the same
 * one-line fix in a temp git repo from `sampleProject({ bug: true })`, reset to its first commit
 * before every run. Ralex also runs the project's tests: the baseline (beside the model stages)
 * and after the edit; run twice per round, once with the baseline known from an earlier run on
 * the same tree (the cache) and once with the cache emptied (cold), and a third time with `ralex
 * serve` running for another copy of the project (then `ralex run` is a thin client over the
 * server's socket and the change runs in the warm server). Its orchestration time is
 * wall − tests. Every run is checked (Ralex: status succeeded, file fixed, commit made; OpenCode
 * and pi: file fixed); a failed run stops the bench. Targets: Ralex orchestration <= 300 ms,
 * <= 150 MiB peak RSS, wall and CPU <= 0.6x pi's.
 *
 *   npm run build && node --import tsx bench/engine-bench.ts [--runs 3]
 *
 * pi is looked for at `PI_AGENT_BIN` or /tmp/pi-agent (see `piBinary`); without it the pi row is skipped.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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
  PI_PROVIDER,
  piBinary,
  piEnv,
  ralexPhases,
  ralexTimeline,
} from './engine-bench-parts.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT_DIR, 'dist/bundle/main.js');
const REQUEST = 'fix the failing test in user auth dot js';
const TARGET_ORCHESTRATION_MS = 300;
/** Ralex's wall and CPU against pi's (issue 15). */
const TARGET_VS_PI = 0.6;
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
  if (!existsSync(CLI)) throw new Error('dist/bundle/main.js is missing: run `npm run build` first');
  const OPENCODE = resolveOpenCodeBinary();
  if (!OPENCODE) throw new Error('the opencode binary is missing (optional dependency opencode-ai)');

  const target = { openCodeFile: '' };
  const model = await startScriptedModelServer({ models: [MODEL_ID], defaultReply: engineTurn(target) });
  const ralex = await sampleRepo('engine-bench-ralex');
  const open = await sampleRepo('engine-bench-opencode');
  const openState = await mkdtemp(join(tmpdir(), 'engine-bench-opencode-state-'));
  const PI = piBinary(existsSync);
  const pi = await sampleRepo('engine-bench-pi');
  const piState = await mkdtemp(join(tmpdir(), 'engine-bench-pi-state-'));
  const piRunEnv = await piEnv(model.url, piState);
  const baselines = join(ralex.repo.dir, '.ralex/state/baselines');
  // The same command with `ralex serve` running for its project: `ralex run` is then a thin client
  // over the server's socket, and the change runs in the warm server (modules, index, models loaded).
  const served = await sampleRepo('engine-bench-served');
  target.openCodeFile = join(open.repo.dir, 'src/user_auth.js');
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  const ralexEnv = { ...base, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'x' };
  const openEnv = await openCodeEnv(model.url, openState);
  const server = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--no-qr', '--project', served.repo.dir],
    {
      env: ralexEnv,
      stdio: 'ignore',
    },
  );
  const socket = join(served.repo.dir, '.ralex/state/run.sock');
  for (const started = Date.now(); !existsSync(socket); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - started > 30_000) throw new Error('ralex serve did not open its command socket in 30 s');
  }
  const loadAtStart = load();
  console.log(
    `engine bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${loadAtStart}, ${new Date().toISOString()}`,
  );
  console.log('scripted model: in the bench process (startScriptedModelServer, turn function per request)');

  const cases = {
    nodeE: { label: 'node -e 0', runs: [], results: [] } as Case,
    version: { label: 'ralex --version', runs: [], results: [] } as Case,
    npmTest: { label: 'npm test (the project alone, failing)', runs: [], results: [] } as Case,
    ralex: { label: `ralex run "${REQUEST}" --json (baseline cached)`, runs: [], results: [] } as Case,
    ralexCold: { label: 'ralex run, the same (baseline cache emptied)', runs: [], results: [] } as Case,
    ralexServed: {
      label: 'ralex run, the same, ralex serve running (thin client; CPU: client + server tree, RSS: client)',
      runs: [],
      results: [],
    } as Case,
    pi: { label: `pi -p "${REQUEST}"`, runs: [], results: [] } as Case,
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

      for (const c of [cases.ralexCold, cases.ralex, cases.ralexServed]) {
        const { repo, base: first } = c === cases.ralexServed ? served : ralex;
        await reset(repo, first);
        if (c === cases.ralexCold) await rm(baselines, { recursive: true, force: true });
        const serverCpuBefore = c === cases.ralexServed ? await treeCpuMs(server.pid!) : 0;
        const r = await measureCommand(
          process.execPath,
          [CLI, 'run', REQUEST, '--json', '--project', repo.dir],
          {
            env: ralexEnv,
            timeoutMs: 60_000,
          },
        );
        try {
          const result = ralexResult(r.stdout);
          const fixed = (await repo.read('src/user_auth.js')).includes(FIX.after);
          if (r.code !== 0 || result.status !== 'succeeded' || !fixed || result.commit === null)
            throw new Error(
              `exit ${r.code}, status ${result.status}, file fixed: ${fixed}, error ${JSON.stringify(result.error)}`,
            );
          const cached = result.checks[0]?.cached === true;
          if (round >= 0 && cached !== (c !== cases.ralexCold))
            throw new Error(`the baseline was ${cached ? '' : 'not '}read from the cache in "${c.label}"`);
          // The served change's CPU is the server's: its process tree's CPU over the run, with the client's.
          if (c === cases.ralexServed) r.cpuMs += (await treeCpuMs(server.pid!)) - serverCpuBefore;
          keep(c, r);
          if (round >= 0) c.results.push(result);
        } catch (error) {
          failures.push(`Ralex run ${round}: ${(error as Error).message}\n${r.stderr.slice(-1500)}`);
        }
      }

      if (PI) {
        await reset(pi.repo, pi.base);
        const p = await measureCommand(
          PI,
          ['-p', REQUEST, '--provider', PI_PROVIDER, '--model', MODEL_ID, '--no-session'],
          { env: piRunEnv, cwd: pi.repo.dir, timeoutMs: 90_000 },
        );
        const piFixed = (await pi.repo.read('src/user_auth.js')).includes(FIX.after);
        if (p.code === 0 && piFixed) keep(cases.pi, p);
        else
          failures.push(
            `pi run ${round}: exit ${p.code}, file fixed: ${piFixed}\n${p.stdout.slice(-1500)}\n${p.stderr.slice(-1500)}`,
          );
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
    server.kill('SIGTERM');
    await model.close();
    await ralex.repo.cleanup();
    await served.repo.cleanup();
    await open.repo.cleanup();
    await pi.repo.cleanup();
    await rm(openState, { recursive: true, force: true });
    await rm(piState, { recursive: true, force: true });
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

/**
 * The CPU time, ms, a running process tree has used: for `pid` and each live descendant (the git
 * launcher), its own user + system time and that of the children it has waited for (git, the
 * sandboxed tests), from /proc. Clock ticks of 10 ms.
 */
async function treeCpuMs(pid: number): Promise<number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (!text) continue;
    // Fields after the command name (in parentheses, which may hold spaces): state ppid … utime stime cutime cstime.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    stats.set(Number(name), {
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
    });
  }
  let ticks = 0;
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, st] of stats) {
      if (tree.has(p) || !tree.has(st.ppid)) continue;
      tree.add(p);
      grew = true;
    }
  }
  for (const p of tree) ticks += stats.get(p)?.ticks ?? 0;
  return ticks * 10;
}

/** Prints the comparison table, Ralex against pi, and for Ralex the stages of a run. */
function report(cases: Record<string, Case>, runs: number, loadAtStart: string): void {
  const testsOf = (c: Case) => c.results.map(testsMs);
  const orchestrationOf = (c: Case) => c.runs.map((r, i) => r.ms - testsMs(c.results[i]!));
  const row = (c: Case, ralex: boolean) => {
    const wall = summarize(c.runs.map((r) => r.ms));
    const rss = median(c.runs.map((r) => r.rssMiB));
    const orch = ralex ? median(orchestrationOf(c)) : null;
    return [
      c.label,
      String(wall.n),
      ms(wall.p50),
      ms(wall.max),
      ralex ? ms(median(testsOf(c))) : '-',
      orch === null ? '-' : ms(orch),
      ms(median(c.runs.map((r) => r.cpuMs))),
      rss.toFixed(1),
      orch === null ? '-' : met(orch <= TARGET_ORCHESTRATION_MS),
      ralex ? met(rss <= TARGET_RSS_MIB) : '-',
    ];
  };
  const ralexCases = [cases.ralex!, cases.ralexCold!, cases.ralexServed!];
  printTable(
    `Wall ms fork to exit, CPU ms (user+sys of the whole process tree, also what outlives the command: bench/process-tree-usage.py), peak RSS MiB of the largest process; ${runs} runs each, interleaved; load ${loadAtStart} → ${load()} (targets for Ralex: orchestration <= ${TARGET_ORCHESTRATION_MS} ms, RSS <= ${TARGET_RSS_MIB} MiB)`,
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
      row(cases.nodeE!, false),
      row(cases.version!, false),
      row(cases.npmTest!, false),
      ...ralexCases.map((c) => row(c, true)),
      ...(cases.pi!.runs.length ? [row(cases.pi!, false)] : []),
      row(cases.opencode!, false),
    ],
  );
  console.log(
    '(cold: the baseline runs beside the model stages, so wall − tests undercounts what the process itself spent by the part of the baseline it overlapped.)',
  );
  if (cases.pi!.runs.length) {
    const piWall = median(cases.pi!.runs.map((r) => r.ms));
    const piCpu = median(cases.pi!.runs.map((r) => r.cpuMs));
    printTable(
      `Ralex against pi (pi runs no tests; Ralex's figures include its test runs), target <= ${TARGET_VS_PI}x`,
      ['Ralex run', 'wall / pi wall', 'met', 'CPU / pi CPU', 'met'],
      ralexCases.map((c) => {
        const wall = median(c.runs.map((r) => r.ms)) / piWall;
        const cpu = median(c.runs.map((r) => r.cpuMs)) / piCpu;
        return [
          c.label,
          wall.toFixed(2),
          met(wall <= TARGET_VS_PI),
          cpu.toFixed(2),
          met(cpu <= TARGET_VS_PI),
        ];
      }),
    );
  }
  for (const c of ralexCases) stagesTable(c);
  timelineTable(cases.ralex!.runs);
}

/** Where a Ralex run goes: stages and checks from the result JSON (medians over runs). */
function stagesTable(c: Case): void {
  const results = c.results;
  const stageNames = [...new Set(results.flatMap((r) => r.stages.map((s) => s.stage)))];
  const stageMs = (name: string) =>
    results.map((r) => r.stages.find((s) => s.stage === name)?.durationMs ?? 0);
  const checkNames = [...new Set(results.flatMap((r) => r.checks.map((k) => k.name)))];
  const checkMs = (name: string) =>
    results.map((r) => r.checks.find((k) => k.name === name)?.durationMs ?? 0);
  printTable(
    `Ralex, ${c.label}: where a run goes, ms (median over runs; stages and checks from the result JSON)`,
    ['part', 'ms'],
    [
      ['whole process (wall)', ms(median(c.runs.map((r) => r.ms)))],
      ['result.durationMs (the pipeline, in process)', ms(median(results.map((r) => r.durationMs)))],
      [
        'outside the pipeline (start-up, imports, runtime, exit)',
        ms(median(c.runs.map((r, i) => r.ms - results[i]!.durationMs))),
      ],
      ...stageNames.map((name) => [`stage ${name}`, ms(median(stageMs(name)))]),
      ...checkNames.map((name) => [`check "${name}" (inside execute)`, ms(median(checkMs(name)))]),
    ],
  );
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
