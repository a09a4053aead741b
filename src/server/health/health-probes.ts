import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Context7Status } from '../../docs/lookup-docs.js';
import { HOST_GIT_CONFIG, hostGitEnv } from '../../git/git-exec.js';
import type { ModelProvider } from '../../models/model-provider.js';
import { detectSandbox } from '../../policy/sandbox/detect-sandbox.js';
import type { Runtime } from '../../runtime.js';
import { createPocketsphinxEngine } from '../../voice/engines/pocketsphinx-engine.js';
import type { ProbeResult } from './component-health.js';

/** A provider answers `GET /models` within the probe's time, or it counts as down. */
export async function probeProvider(provider: ModelProvider, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const models = await provider.listModels(AbortSignal.timeout(timeoutMs));
    const latencyMs = performance.now() - started;
    return { state: 'ok', detail: `${models.length} models listed (from ${provider.origin})`, latencyMs };
  } catch (error) {
    const latencyMs = performance.now() - started;
    const e = error as Error;
    const why =
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `no answer from ${provider.baseURL}/models within ${timeoutMs} ms`
        : `${e.message}${causeOf(e)}`;
    return { state: 'down', detail: `unreachable: ${why}`, error: why, latencyMs };
  }
}

/** SQLite answers a read. */
export function probeStore(rt: Runtime): ProbeResult {
  try {
    rt.db.prepare('SELECT 1 FROM sessions LIMIT 1').get();
    return { state: 'ok', detail: 'SQLite open' };
  } catch (error) {
    return { state: 'down', detail: `SQLite: ${(error as Error).message}` };
  }
}

/** bubblewrap runs a trial command (cached by the sandbox itself). */
export async function probeSandbox(): Promise<ProbeResult> {
  const sandbox = await detectSandbox();
  return sandbox.available
    ? {
        state: 'ok',
        detail: `Commands run in ${sandbox.kind}${sandbox.version ? ` ${sandbox.version}` : ''}.`,
      }
    : {
        state: 'degraded',
        detail: `COMMANDS ARE NOT SANDBOXED: ${sandbox.reason ?? 'bubblewrap is not available'}.`,
      };
}

/** The offline recogniser's programs and acoustic model are installed. */
export async function probeRecogniser(rt: Runtime): Promise<ProbeResult> {
  const engines = rt.config.preferences.voice.engines as readonly string[];
  if (!engines.includes('pocketsphinx'))
    return {
      state: 'ok',
      detail: `offline recognition not configured (voice.engines: ${engines.join(', ')})`,
    };
  const engine = createPocketsphinxEngine({ cacheDir: join(rt.paths.cacheDir, 'voice'), keepWarm: false });
  const found = await engine.available();
  return found.ok
    ? { state: 'ok', detail: 'pocketsphinx installed (offline speech recognition)' }
    : { state: 'down', detail: found.reason ?? 'pocketsphinx is not available' };
}

/**
 * The remote memory sync uses answers `git ls-remote` (only with `context.sync: auto`: a
 * project that does not sync never has its remote contacted by a health check).
 */
export async function probeSyncRemote(rt: Runtime, timeoutMs: number): Promise<ProbeResult> {
  const { sync, sync_remote } = rt.config.preferences.context;
  if (sync !== 'auto')
    return { state: 'ok', detail: 'memory sync is off (context.sync: off); `ralex sync` syncs by hand' };
  const remotes = (await git(rt.root, ['remote'], timeoutMs).catch(() => '')).split('\n').filter(Boolean);
  const remote =
    sync_remote ?? (remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : null);
  if (!remote || !remotes.includes(remote))
    return {
      state: 'degraded',
      detail: `context.sync is auto but the project has no remote${remote ? ` named ${remote}` : ''}: memory stays on this machine`,
    };
  const started = performance.now();
  try {
    await git(rt.root, ['ls-remote', '--quiet', remote, 'refs/ralex/memory'], timeoutMs);
    return { state: 'ok', detail: `remote ${remote} answers`, latencyMs: performance.now() - started };
  } catch (error) {
    const why = (error as Error).message.split('\n').find((l) => l.trim()) ?? 'no answer';
    return {
      state: 'degraded',
      detail: `remote ${remote} does not answer: ${why}`,
      error: why,
      latencyMs: performance.now() - started,
    };
  }
}

/** A host-side git call with the usual hardening, no prompts, and a time limit. */
function git(cwd: string, args: string[], timeoutMs: number): Promise<string> {
  const env = hostGitEnv({
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    GIT_ASKPASS: 'true',
    SSH_ASKPASS: 'true',
  });
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...HOST_GIT_CONFIG, ...args],
      { cwd, env, timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(stderr.trim() || (error.killed ? `timed out after ${timeoutMs} ms` : error.message)),
          );
        else resolve(stdout);
      },
    );
  });
}

/** "fetch failed" says little: undici puts the reason (ECONNREFUSED …) in `cause`. */
function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? String(cause)})` : '';
}

/**
 * Library docs: Context7's last outcome as the docs service saw it (nothing is asked here, so
 * the probe costs no call); degraded while Context7 is paused after failing, when the installed
 * docs stand in.
 */
export function probeDocs(
  status: Context7Status,
  installed: boolean,
  at: (ms: number) => string,
): ProbeResult {
  const fallback = installed
    ? 'the installed docs stand in'
    : 'no library docs meanwhile (docs.installed is off)';
  switch (status.state) {
    case 'off':
      return { state: 'ok', detail: installed ? 'installed docs (Context7 off)' : 'library docs off' };
    case 'not asked yet':
      return { state: 'ok', detail: 'Context7 on, not asked yet (asked by the first model command)' };
    case 'answered':
      return { state: 'ok', detail: `Context7 answered at ${at(status.at)}` };
    case 'paused':
      return {
        state: 'degraded',
        detail: `Context7 could not answer at ${at(status.at)}; ${fallback}; asked again after ${at(status.until)}`,
        error: status.why,
      };
  }
}
