import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RalexError } from '../../errors.js';
import { OPENCODE_INSTALL_HINT, resolveOpenCodeBinary } from './opencode-binary.js';
import { buildOpenCodeConfig, type OpenCodeProviderSettings } from './opencode-config.js';

/** How to start a private `opencode serve`. */
export interface OpenCodeServerOptions {
  provider: OpenCodeProviderSettings;
  /** The executable; default the one shipped by the `opencode-ai` package. */
  binary?: string;
  /** Working directory of the server process (sessions name their own directory); default tmpdir. */
  cwd?: string;
  /** Replaces HOME for the server and the commands it runs (tests); default unchanged. */
  home?: string;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Give up when the server has not said where it listens after this long; default 30 s. */
  startTimeoutMs?: number;
}

/** A running private OpenCode server on loopback. */
export interface OpenCodeServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `Authorization` header value (HTTP Basic with a random per-process password). */
  readonly authorization: string;
  /** Process id of `opencode` itself (its process group is the lifeline shell's). */
  readonly pid: number;
  /** Milliseconds from spawn to "listening". */
  readonly startupMs: number;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Peak resident set size of the server process in KiB (Linux `VmHWM`), null elsewhere or once it exited. */
  peakRssKiB(): number | null;
  /** Terminates the whole process group (SIGTERM, then SIGKILL after a grace period) and removes its private state. */
  stop(): Promise<void>;
}

/** Environment that keeps OpenCode offline, deterministic and out of the user's own OpenCode set-up. */
/**
 * Switches that keep OpenCode offline and contained: no updates, model lists, LSP downloads,
 * default plugins, sharing, project config (which could widen permissions), other tools'
 * skills, or file watching.
 */
export const OPENCODE_OFFLINE_ENV: Readonly<Record<string, string>> = {
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  OPENCODE_DISABLE_SHARE: '1',
  OPENCODE_DISABLE_PROJECT_CONFIG: '1',
  OPENCODE_DISABLE_CLAUDE_CODE: '1',
  OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
  OPENCODE_PURE: '1',
  OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER: '1',
};

function serverEnv(options: OpenCodeServerOptions, stateDir: string, password: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(options.home ? { HOME: options.home } : {}),
    XDG_CONFIG_HOME: join(stateDir, 'config'),
    XDG_DATA_HOME: join(stateDir, 'data'),
    XDG_CACHE_HOME: join(stateDir, 'cache'),
    XDG_STATE_HOME: join(stateDir, 'state'),
    OPENCODE_CONFIG_CONTENT: JSON.stringify(buildOpenCodeConfig(options.provider)),
    ...OPENCODE_OFFLINE_ENV,
    OPENCODE_SERVER_USERNAME: 'ralex',
    OPENCODE_SERVER_PASSWORD: password,
    ...options.env,
  };
}

/**
 * Runs `opencode serve` in its own process group under a small shell that holds the read end of
 * a pipe from Ralex: when Ralex goes away for any reason (kill -9 included) the pipe closes and
 * the shell terminates the whole group (TERM, then KILL after 2 s), so no server or command it
 * started outlives Ralex. (dash's `kill` takes `-TERM -PGID`, not `--`.)
 */
const LIFELINE_SCRIPT = [
  'exec 3<&0',
  '"$0" "$@" </dev/null 3<&- &',
  'c=$!',
  'echo "ralex-opencode-pid $c"',
  "(trap '' TERM; read -r _ <&3; kill -TERM -$$; sleep 2; kill -KILL -$$) >/dev/null 2>&1 &",
  'exec 3<&-',
  'wait "$c"',
].join('\n');

/** Kills the process group now, synchronously (also used from the `exit` hook); a no-op once it is gone. */
function killGroup(child: ChildProcess, gone: () => boolean, signal: NodeJS.Signals): void {
  if (child.pid === undefined || gone()) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** A port the kernel reports free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `opencode serve` on 127.0.0.1 with a free port, the generated config and private
 * XDG dirs (removed on stop), and resolves once it prints its address.
 */
export async function startOpenCodeServer(options: OpenCodeServerOptions): Promise<OpenCodeServer> {
  const binary = options.binary ?? resolveOpenCodeBinary();
  if (!binary) {
    throw new RalexError('invalid_config', 'The OpenCode engine is selected but OpenCode is not installed.', {
      hint: `Run \`${OPENCODE_INSTALL_HINT}\`, or set engine: builtin in preferences.yaml.`,
    });
  }
  const stateDir = await mkdtemp(join(tmpdir(), 'ralex-opencode-'));
  const password = randomBytes(18).toString('base64url');
  const started = performance.now();
  // Not `--port 0`: OpenCode then takes 4096 whenever it is free, so a restarted server comes back
  // on the old one's port and a kept-alive connection to the old server gets reset mid-request.
  const args = ['serve', '--hostname', '127.0.0.1', '--port', String(await freePort())];
  const lifeline = process.platform !== 'win32';
  const child = spawn(
    lifeline ? '/bin/sh' : binary,
    lifeline ? ['-c', LIFELINE_SCRIPT, binary, ...args] : args,
    {
      cwd: options.cwd ?? tmpdir(),
      env: serverEnv(options, stateDir, password),
      stdio: [lifeline ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let closed = false;
  const gone = () => closed;
  const onExit = () => killGroup(child, gone, 'SIGKILL');
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  let output = '';
  let serverPid: number | undefined = lifeline ? undefined : child.pid;
  const cleanup = () => {
    process.off('exit', onExit);
    rmSync(stateDir, { recursive: true, force: true });
  };
  const stop = async () => {
    child.stdin?.end();
    killGroup(child, gone, 'SIGTERM');
    const grace = setTimeout(() => killGroup(child, gone, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(grace);
    cleanup();
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new RalexError(
              'timeout',
              `opencode serve did not start within ${options.startTimeoutMs ?? 30_000} ms.`,
            ),
          ),
        options.startTimeoutMs ?? 30_000,
      );
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-8000);
        serverPid ??= Number(output.match(/ralex-opencode-pid (\d+)/)?.[1]) || undefined;
        const match = output.match(/listening on (https?:\/\/\S+)/);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new RalexError('internal_error', `Could not start ${binary}: ${error.message}`, { cause: error }),
        );
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        reject(
          new RalexError(
            'internal_error',
            `opencode serve exited (${signal ?? code}) before it was ready: ${output.trim().slice(-1000)}`,
          ),
        );
      });
    });
    const startupMs = Math.round(performance.now() - started);
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      url,
      authorization: `Basic ${Buffer.from(`ralex:${password}`).toString('base64')}`,
      pid: serverPid ?? (child.pid as number),
      startupMs,
      alive: () => child.exitCode === null && child.signalCode === null,
      peakRssKiB: () => readPeakRss(serverPid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readPeakRss(pid: number | undefined): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s*(\d+)\s*kB/);
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
