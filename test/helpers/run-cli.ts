import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `ralex` entry point (tests run after `npm run build`). */
export const RALEX_BIN = fileURLToPath(new URL('../../dist/bundle/main.js', import.meta.url));

/** What a `ralex` invocation printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `ralex` binary with a clean environment (no provider keys unless given). */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RALEX_BIN, ...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
        timeout: options.timeoutMs ?? 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
