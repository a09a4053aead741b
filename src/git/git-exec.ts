import { execFile, spawn } from 'node:child_process';
import { RalexError } from '../errors.js';
import { type LaunchRequest, type LaunchResult, launch, launchStream } from './git-launcher.js';

/** Options of one git invocation. */
export interface GitExecOptions {
  /** Use this index file instead of the user's (`GIT_INDEX_FILE`). */
  indexFile?: string;
  /** Written to git's stdin. */
  input?: string;
  /** Extra environment (identity, dates). */
  env?: Record<string, string>;
  /** Non-zero exit codes that still resolve with stdout (e.g. 1 from `rev-parse -q --verify`). */
  allowExitCodes?: readonly number[];
}

/** Variables that would point git somewhere other than the repository we name by `cwd`. */
const INHERITED_GIT_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
  'GIT_NAMESPACE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  // Programs git would run instead of its own: only the settings below may say what runs.
  'GIT_EXTERNAL_DIFF',
  'GIT_PAGER',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
];

/**
 * Settings that keep any repository from running a program on the host when Ralex calls git:
 * no hooks (a project's own hook folder, e.g. `.husky/`, is something the agent can write), no
 * fsmonitor, no pager, no external diff, no `ext::` transport, and no look into nested
 * repositories (a submodule's status runs git inside it, with that repository's own config,
 * filters and fsmonitor — the agent can create one). `-c` settings also reach the git processes
 * git starts itself, through GIT_CONFIG_PARAMETERS, and outrank every config file.
 * Diff commands add `--no-ext-diff --no-textconv` themselves.
 */
export const HOST_GIT_CONFIG: readonly string[] = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.pager=cat',
  '-c',
  'diff.ignoreSubmodules=all',
  '-c',
  'submodule.recurse=false',
  '-c',
  'protocol.ext.allow=never',
];

/**
 * Config for every call: the hardening above, readable unicode paths in patches, a full (not
 * split) scratch index, and `add` that never refuses a file for CRLF reasons or warns about
 * embedded repositories.
 */
const CONFIG_ARGS = [
  ...HOST_GIT_CONFIG,
  '-c',
  'core.quotePath=false',
  '-c',
  'core.splitIndex=false',
  '-c',
  'core.safecrlf=false',
  '-c',
  'advice.addEmbeddedRepo=false',
];

/** The environment of a host-side git call: the user's, minus what could redirect or run programs. */
export function hostGitEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of INHERITED_GIT_VARS) delete env[key];
  for (const key of Object.keys(env)) if (/^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(key)) delete env[key];
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat', GIT_EDITOR: 'true', ...extra };
}

function gitEnv(options: GitExecOptions): NodeJS.ProcessEnv {
  return hostGitEnv({ ...options.env, ...(options.indexFile ? { GIT_INDEX_FILE: options.indexFile } : {}) });
}

/** A failed git call: the exit code and stderr are kept for callers that branch on them. */
export class GitCommandError extends RalexError {
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(args: readonly string[], exitCode: number | null, stderr: string) {
    super('internal_error', `git ${args.join(' ')} failed: ${stderr.trim() || `exit ${exitCode}`}`, {
      details: { args: [...args], exitCode, stderr: stderr.trim() },
    });
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Whether a git call's exit code counts as success: 0, or one the caller allows. */
function exitAllowed(code: number | null, options: GitExecOptions): boolean {
  return code === 0 || (code !== null && (options.allowExitCodes?.includes(code) ?? false));
}

/** One git call as the git launcher runs it: the hardening config first, the host-side environment. */
function launchRequest(cwd: string, args: readonly string[], options: GitExecOptions): LaunchRequest {
  return { file: 'git', args: [...CONFIG_ARGS, ...args], cwd, env: gitEnv(options), input: options.input };
}

/** A launched call's stdout where its exit code is allowed; a `GitCommandError` otherwise. */
async function launchedOutput(
  launched: Promise<LaunchResult>,
  args: readonly string[],
  options: GitExecOptions,
): Promise<Buffer> {
  const { code, stdout, stderr, spawnError } = await launched;
  if (exitAllowed(code, options)) return stdout;
  throw new GitCommandError(args, code, spawnError ?? stderr.toString('utf8'));
}

/** Runs git in `cwd` and resolves its stdout as UTF-8 (or raw bytes with `gitExecBuffer`). */
export function gitExec(cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<string> {
  return gitExecBuffer(cwd, args, options).then((out) => out.toString('utf8'));
}

/** Runs git in `cwd` and resolves its stdout bytes (through the git launcher when it is running: git-launcher.ts). */
export function gitExecBuffer(
  cwd: string,
  args: readonly string[],
  options: GitExecOptions = {},
): Promise<Buffer> {
  const launched = launch(launchRequest(cwd, args, options));
  if (launched) return launchedOutput(launched, args, options);
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...CONFIG_ARGS, ...args],
      { cwd, env: gitEnv(options), encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : null;
        if (error && !exitAllowed(code, options)) {
          reject(new GitCommandError(args, code, stderr.toString('utf8')));
        } else {
          resolve(stdout);
        }
      },
    );
    // git may exit before reading stdin (an error, or a command that takes none): not our failure.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  });
}

/**
 * Runs git in `cwd` and hands its stdout to `onData` as it comes, never holding all of it (a
 * listing of a million paths). Resolves when git exits 0; rejects like `gitExec` otherwise.
 */
export function gitExecStream(
  cwd: string,
  args: readonly string[],
  onData: (chunk: Buffer) => void,
  options: GitExecOptions = {},
): Promise<void> {
  const launched = launchStream(launchRequest(cwd, args, options), onData);
  if (launched) return launchedOutput(launched, args, options).then(() => undefined);
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...CONFIG_ARGS, ...args], { cwd, env: gitEnv(options) });
    const stderr: Buffer[] = [];
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    child.on('error', (error) => reject(new GitCommandError(args, null, error.message)));
    child.on('close', (code) => {
      if (exitAllowed(code, options)) resolve();
      else reject(new GitCommandError(args, code, Buffer.concat(stderr).toString('utf8')));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  });
}
