/**
 * Process helpers for the benchmarks: start a service that announces itself with a JSON line,
 * time a command from spawn to exit, and read a process's CPU time and resident memory from
 * /proc (Linux).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A child process that printed one JSON line when ready; `stop()` ends it and waits. */
export interface Service<T> {
  child: ChildProcess;
  pid: number;
  /** The parsed first stdout line. */
  ready: T;
  stop(): Promise<void>;
}

/** Where and how to spawn. */
export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long to wait for the ready line; default 20 s. */
  timeoutMs?: number;
}

/**
 * Spawns `command args`, waits for its first stdout line and parses it as JSON. The child's
 * stdin is a pipe: closing it (in `stop`) is the signal to exit; SIGKILL after 5 s.
 */
export function startService<T>(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<Service<T>> {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} ${args.join(' ')} printed no ready line in time`));
    }, options.timeoutMs ?? 20_000);
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, pid: child.pid!, ready: JSON.parse(line) as T, stop });
      } catch (error) {
        void stop();
        reject(new Error(`not a JSON ready line: ${line} (${(error as Error).message})`));
      }
      child.stdout!.resume();
    });
  });
}

/** How one timed command went. */
export interface TimedRun {
  /** Wall time, spawn to exit. */
  ms: number;
  /** User + system CPU time of the command (all its threads) when timed with `cpu`; else NaN. */
  cpuMs: number;
  code: number | null;
  stdout: string;
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a command to completion, timing spawn to exit (wall clock); kills it after `timeoutMs`.
 * With `cpu` (and GNU time installed), runs it under /usr/bin/time to read its CPU time too;
 * that adds ~1 ms of wall time, so time every case of one table the same way.
 */
export function timeCommand(
  command: string,
  args: string[],
  options: SpawnOptions & { cpu?: boolean } = {},
): Promise<TimedRun> {
  const cpuFile =
    options.cpu && GNU_TIME
      ? join(tmpdir(), `bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`)
      : null;
  const [file, argv] = cpuFile
    ? [GNU_TIME!, ['-f', '%U %S', '-o', cpuFile, command, ...args]]
    : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      if (code !== 0 && code !== null && err.length) process.stderr.write(Buffer.concat(err));
      let cpu = Number.NaN;
      if (cpuFile) {
        const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
        cpu = ((user ?? Number.NaN) + (sys ?? Number.NaN)) * 1000;
        rmSync(cpuFile, { force: true });
      }
      resolve({ ms, cpuMs: cpu, code, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

/** User + system CPU time a process has used so far, in ms (clock-tick resolution, 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** A process's resident set size (VmRSS) in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}
