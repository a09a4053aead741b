import { execFile } from 'node:child_process';

/** Runs git in `cwd` and resolves with stdout; rejects with git's stderr in the message. */
export function runGit(
  cwd: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; maxBuffer?: number } = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      'git',
      args as string[],
      {
        cwd,
        env: options.env ?? process.env,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`git ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        } else {
          resolvePromise(stdout);
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
