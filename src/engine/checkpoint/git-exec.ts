import { execFile } from 'node:child_process';
import { RalexError } from '../../errors.js';

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
];

/**
 * Config for every call: readable unicode paths in patches, a full (not split) scratch index,
 * and `add` that never refuses a file for CRLF reasons or warns about embedded repositories.
 */
const CONFIG_ARGS = [
  '-c',
  'core.quotePath=false',
  '-c',
  'core.splitIndex=false',
  '-c',
  'core.safecrlf=false',
  '-c',
  'advice.addEmbeddedRepo=false',
];

function gitEnv(options: GitExecOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', ...options.env };
  for (const key of INHERITED_GIT_VARS) delete env[key];
  if (options.indexFile) env.GIT_INDEX_FILE = options.indexFile;
  return env;
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

/** Runs git in `cwd` and resolves its stdout as UTF-8 (or raw bytes with `gitExecBuffer`). */
export function gitExec(cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<string> {
  return gitExecBuffer(cwd, args, options).then((out) => out.toString('utf8'));
}

/** Runs git in `cwd` and resolves its stdout bytes. */
export function gitExecBuffer(
  cwd: string,
  args: readonly string[],
  options: GitExecOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...CONFIG_ARGS, ...args],
      { cwd, env: gitEnv(options), encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : null;
        if (error && !(code !== null && options.allowExitCodes?.includes(code))) {
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
