/**
 * Parts of the engine bench (`engine-bench.ts`): a command timed (process-tree-usage.py) for wall, CPU and
 * peak RSS; the scripted model's turn function that answers Ralex and OpenCode alike by looking
 * at the request; and the offline environment for `opencode run`.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenCodeConfig, RALEX_PROVIDER_ID } from '../src/engine/opencode/opencode-config.js';
import { OPENCODE_OFFLINE_ENV } from '../src/engine/opencode/opencode-server.js';
import type { RecordedRequest, Turn } from '../test/fixtures/scripted-turn.js';
import { median } from './bench-stats.js';

/** How one measured command went. */
export interface MeasuredRun {
  /** Wall time, spawn to exit, ms. */
  ms: number;
  /** Epoch ms at the fork, to place the child's own timestamps. */
  startedAt: number;
  /** User + system CPU time of the command's whole process tree, ms. */
  cpuMs: number;
  /** Peak resident set size of the largest single process in the tree, MiB. */
  rssMiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The wrapper that measures a command's whole process tree (see the script's own header). */
const TREE_USAGE = fileURLToPath(new URL('./process-tree-usage.py', import.meta.url));

/**
 * Runs `command args` under `process-tree-usage.py` (python3), killing it after `timeoutMs`. CPU
 * time and peak RSS cover every process of the command's tree, also those that outlive it (Ralex's
 * git launcher, which GNU time would not count); `%M`-like, the RSS is the maximum of one process
 * (the command or one of its descendants, whichever peaked highest), not the sum of the tree. The
 * wall time is from the fork to the command's own exit.
 */
export function measureCommand(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<MeasuredRun> {
  const usageFile = join(
    tmpdir(),
    `engine-bench-usage-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const spawnedAt = Date.now();
    const child = spawn('python3', [TREE_USAGE, usageFile, command, ...args], {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', reject);
    child.once('close', async (code) => {
      const outerMs = performance.now() - started;
      clearTimeout(timer);
      let [forkedAt, wallMs, user, sys, maxKb] = [spawnedAt, outerMs, Number.NaN, Number.NaN, Number.NaN];
      try {
        const line = (await readFile(usageFile, 'utf8')).trim();
        [forkedAt, wallMs, user, sys, maxKb] = line.split(' ').map(Number) as [
          number,
          number,
          number,
          number,
          number,
        ];
        await rm(usageFile, { force: true });
      } catch {
        // killed before the wrapper wrote its line: CPU and RSS stay NaN
      }
      resolve({
        ms: wallMs,
        startedAt: forkedAt,
        cpuMs: (user + sys) * 1000,
        rssMiB: maxKb / 1024,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** The one-line fix both engines are scripted to make in `src/user_auth.js`. */
export const FIX = { before: 'if (!stored) return true;', after: 'if (!stored) return false;' } as const;

/** Where the scripted OpenCode edit points: OpenCode's `edit` tool wants an absolute path. */
export interface ScriptTarget {
  openCodeFile: string;
}

/**
 * A turn function for the scripted model that keeps Ralex and OpenCode in step whatever extra
 * requests they make: a request that offers `edit_file` (Ralex) or `edit` (OpenCode) and has no
 * tool result yet gets the edit; one with a tool result gets "Fixed."; a request with no tools
 * (OpenCode's title, summaries) gets a short title.
 */
export function engineTurn(target: ScriptTarget): (request: RecordedRequest) => Turn {
  return (request) => {
    const body = request.body;
    const tools = new Set((body?.tools ?? []).map((t) => t.function.name));
    const answered = (body?.messages ?? []).some((m) => m.role === 'tool');
    if (tools.size === 0) return { text: 'Fix failing user auth test' };
    if (answered) return { text: 'Fixed.' };
    if (tools.has('edit_file')) {
      return {
        toolCalls: [
          {
            name: 'edit_file',
            arguments: { path: 'src/user_auth.js', old_text: FIX.before, new_text: FIX.after },
          },
        ],
      };
    }
    if (tools.has('edit') && editTakesList(body?.tools)) {
      // The pi coding agent's `edit`: a path (relative to its cwd, the repository) and a list of replacements.
      return {
        toolCalls: [
          {
            name: 'edit',
            arguments: { path: 'src/user_auth.js', edits: [{ oldText: FIX.before, newText: FIX.after }] },
          },
        ],
      };
    }
    if (tools.has('edit')) {
      return {
        toolCalls: [
          {
            name: 'edit',
            arguments: { filePath: target.openCodeFile, oldString: FIX.before, newString: FIX.after },
          },
        ],
      };
    }
    return { text: `No edit tool offered (tools: ${[...tools].join(', ')}).` };
  };
}

/** Whether the offered `edit` tool takes a list of replacements (`edits`: pi's) rather than one (OpenCode's). */
function editTakesList(tools: { function: { name: string; parameters?: unknown } }[] | undefined): boolean {
  const edit = tools?.find((t) => t.function.name === 'edit');
  const properties = (edit?.function.parameters as { properties?: Record<string, unknown> } | undefined)
    ?.properties;
  return Boolean(properties && 'edits' in properties);
}

/**
 * Where the pi coding agent (`@mariozechner/pi-coding-agent`) is: `PI_AGENT_BIN`, else
 * `/tmp/pi-agent/node_modules/.bin/pi` (installed outside the repository:
 * `mkdir -p /tmp/pi-agent && cd /tmp/pi-agent && npm i @mariozechner/pi-coding-agent@0.73.1`); null when absent.
 */
export function piBinary(exists: (path: string) => boolean): string | null {
  const candidates = [process.env.PI_AGENT_BIN, '/tmp/pi-agent/node_modules/.bin/pi'].filter(
    (p): p is string => Boolean(p),
  );
  return candidates.find(exists) ?? null;
}

/**
 * Environment for `pi -p` against the scripted model, offline and private: a `models.json` in
 * its own agent dir (under `stateDir`) naming the scripted server as an OpenAI-compatible
 * provider, `PI_OFFLINE=1` (no update check, no telemetry), sessions in the same dir.
 */
export async function piEnv(baseUrl: string, stateDir: string): Promise<NodeJS.ProcessEnv> {
  const agentDir = join(stateDir, 'agent');
  await mkdir(agentDir, { recursive: true });
  const models = {
    providers: {
      [PI_PROVIDER]: {
        baseUrl,
        api: 'openai-completions',
        apiKey: 'x',
        compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
        models: [{ id: MODEL_ID }],
      },
    },
  };
  await writeFile(join(agentDir, 'models.json'), JSON.stringify(models, null, 2));
  return {
    PATH: process.env.PATH,
    HOME: stateDir,
    PI_CODING_AGENT_DIR: agentDir,
    PI_OFFLINE: '1',
  };
}

/** The provider id pi knows the scripted server by. */
export const PI_PROVIDER = 'scripted';

/** Model id the scripted server lists and both engines ask for. */
export const MODEL_ID = 'scripted-model';

/**
 * Environment for `opencode run` against the scripted model, offline and private: Ralex's
 * generated config (`buildOpenCodeConfig`) with every permission `allow` (nobody answers asks in
 * a one-shot run), the same OPENCODE_DISABLE_* switches Ralex's engine uses, and XDG dirs under
 * `stateDir` (created here).
 */
export async function openCodeEnv(baseUrl: string, stateDir: string): Promise<NodeJS.ProcessEnv> {
  const config = {
    ...buildOpenCodeConfig({ baseUrl, apiKey: 'x', models: [MODEL_ID] }),
    permission: 'allow',
  };
  const xdg = Object.fromEntries(
    ['config', 'data', 'cache', 'state'].map((part) => [
      `XDG_${part.toUpperCase()}_HOME`,
      join(stateDir, part),
    ]),
  );
  await Promise.all(Object.values(xdg).map((dir) => mkdir(dir, { recursive: true })));
  return {
    PATH: process.env.PATH,
    HOME: stateDir,
    ...xdg,
    OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
    ...OPENCODE_OFFLINE_ENV,
  };
}

/** `ralex/<model>` for `opencode run --model`. */
export const OPENCODE_MODEL = `${RALEX_PROVIDER_ID}/${MODEL_ID}`;

/** A Ralex event line of `run --json` as far as the timeline needs it. */
interface EventLine {
  type?: string;
  event?: { type: string; ts: string; stage?: string; name?: string; tool?: string };
}

/**
 * Where one `ralex run --json` spent its wall time: the gaps between successive events of its
 * stdout (labelled "previous → next", e.g. "check.started tests → check.finished tests"), plus
 * "spawn → command.accepted" (node start-up, imports, createRuntime) and "command.finished →
 * exit". Timestamps have millisecond resolution.
 */
export function ralexTimeline(run: MeasuredRun): [label: string, ms: number][] {
  const events = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{"type":"event"'))
    .map((line) => (JSON.parse(line) as EventLine).event!)
    .map((e) => ({
      label: [e.type, e.stage ?? e.name ?? e.tool].filter(Boolean).join(' '),
      at: Date.parse(e.ts),
    }));
  if (events.length === 0) return [['spawn → exit (no events)', run.ms]];
  const gaps: [string, number][] = [[`spawn → ${events[0]!.label}`, events[0]!.at - run.startedAt]];
  for (let i = 1; i < events.length; i++) {
    gaps.push([`${events[i - 1]!.label} → ${events[i]!.label}`, events[i]!.at - events[i - 1]!.at]);
  }
  gaps.push([`${events.at(-1)!.label} → exit`, run.startedAt + run.ms - events.at(-1)!.at]);
  return gaps;
}

/**
 * Run in a fresh `node --input-type=module -e` process (argv: dist URL, project dir): the import
 * cost of what `ralex run` of a change loads (each step what it adds to the ones before: the
 * start-up modules, then what `execute`'s lazy `import('engine/run-change.js')` pulls in, split
 * into the `ai` SDK, the HTTP server that `agent-session` → `loopback-api` imports statically,
 * and the rest), and one checkpoint of the project; prints one JSON object of ms per phase.
 */
const PHASES_SCRIPT = `const [dist, project] = process.argv.slice(1); const out = {}; let t = performance.now();
const lap = (name) => { const now = performance.now(); out[name] = now - t; t = now; };
await import(dist + 'runtime.js'); await import(dist + 'pipeline/pipeline.js');
lap('import runtime + pipeline (before command.accepted)');
await import(dist + 'engine/run-agent.js'); lap('import engine/run-agent (the ai SDK; inside execute)');
await import(dist + 'server/create-server.js'); lap('import server/create-server (Fastify: agent-session → loopback-api)');
await import(dist + 'engine/run-change.js'); lap('import engine/run-change (the rest)');
const { createCheckpoint } = await import(dist + 'engine/checkpoint/create-checkpoint.js');
await createCheckpoint(project, { label: 'bench' }); lap('createCheckpoint of the sample repo');
console.log(JSON.stringify(out));`;

/** The phases of `PHASES_SCRIPT` in `runs` fresh processes; the median ms of each. */
export async function ralexPhases(
  distUrl: string,
  project: string,
  runs: number,
): Promise<[string, number][]> {
  const samples = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const run = await measureCommand(
      process.execPath,
      ['--input-type=module', '-e', PHASES_SCRIPT, distUrl, project],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeoutMs: 30_000 },
    );
    if (run.code !== 0) throw new Error(`phases script failed: ${run.stderr.slice(-1000)}`);
    for (const [name, ms] of Object.entries(JSON.parse(run.stdout) as Record<string, number>)) {
      samples.set(name, [...(samples.get(name) ?? []), ms]);
    }
  }
  return [...samples].map(([name, values]) => [name, median(values)]);
}
