import { readFileSync } from 'node:fs';

/** What /proc/<pid>/stat says of a process. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** Clock ticks since boot when the process started: with the pid, it names one process for good. */
  startTicks: number;
}

/** Reads /proc/<pid>/stat (null when gone or without /proc); the name may hold spaces and parentheses, so parse after the last ')'. */
export function readProcStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      state: fields[0] ?? '?',
      startTicks: Number(fields[19]),
    };
  } catch {
    return null;
  }
}

/** A process named so that a reused pid is not mistaken for it: pid and start time. */
export interface OwnerProcess {
  pid: number;
  /** Start ticks as text; empty where /proc is missing (then only the pid is checked). */
  started: string;
}

/** This process, as an owner of commands and locks. */
export function thisProcess(): OwnerProcess {
  const stat = readProcStat(process.pid);
  return { pid: process.pid, started: stat ? String(stat.startTicks) : '' };
}

/** Whether the owner process still runs (the same process, not a later one with its pid). */
export function isOwnerAlive(owner: OwnerProcess): boolean {
  if (owner.pid === process.pid) return owner.started === thisProcess().started;
  const stat = readProcStat(owner.pid);
  if (stat)
    return (
      stat.state !== 'Z' &&
      stat.state !== 'X' &&
      (!owner.started || String(stat.startTicks) === owner.started)
    );
  try {
    process.kill(owner.pid, 0);
    return !owner.started; // no /proc entry but a live pid: only trust it when no start time was known
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' && !owner.started;
  }
}
