import { readdirSync, readFileSync } from 'node:fs';
import { type ProcStat, readProcStat } from '../../util/proc-stat.js';

/** The environment variable every process a run starts inherits, naming that run. */
export const RUN_MARKER_VAR = 'RALEX_RUN_ID';

/** What identifies a run's processes: the root (a process-group leader), the marker, when it began. */
export interface RunIdentity {
  rootPid: number;
  runId: string;
  /** Clock ticks since boot when the run started (`procTicksNow()`); older processes cannot be the run's. */
  sinceTicks: number;
}

/** Clock ticks (USER_HZ, 100 on Linux) since boot, minus one second of slack; 0 where /proc is missing. */
export function procTicksNow(): number {
  try {
    return Math.max(0, Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100) - 100);
  } catch {
    return 0;
  }
}

/** True while the process exists and is not a zombie (a zombie is dead, only not yet reaped). */
export function isProcessAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

const hasMarker = (pid: number, marker: Buffer): boolean => {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(marker);
  } catch {
    return false;
  }
};

/**
 * The live processes belonging to one run: the root's process group, every descendant of the
 * root by parent id, and every process whose environment carries the run's marker — the last
 * catches a double fork that left with `setsid` (new group, re-parented to init); only processes
 * born after the run started are read for it, which keeps a scan to about one file read per
 * process. Linux only; elsewhere it returns nothing and the process-group kill is all there is.
 */
export function findRunProcesses({ rootPid, runId, sinceTicks }: RunIdentity): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
  const marker = Buffer.from(`${RUN_MARKER_VAR}=${runId}\0`);
  const stats = pids
    .map(readProcStat)
    .filter((s): s is ProcStat => s !== null && s.state !== 'Z' && s.state !== 'X');
  const found = new Set<number>();
  for (const s of stats) if (s.pid === rootPid || s.pgid === rootPid) found.add(s.pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) {
      if (!found.has(s.pid) && (s.ppid === rootPid || found.has(s.ppid))) {
        found.add(s.pid);
        grew = true;
      }
    }
  }
  for (const s of stats) {
    const candidate = !found.has(s.pid) && s.startTicks >= sinceTicks && s.pid !== process.pid;
    if (candidate && hasMarker(s.pid, marker)) found.add(s.pid);
  }
  found.delete(process.pid);
  return [...found];
}

/** Sends `signal` to the run's process group and to every process `findRunProcesses` finds. Returns how many it found. */
export function signalRun(run: RunIdentity, signal: NodeJS.Signals): number {
  try {
    process.kill(-run.rootPid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
  const pids = findRunProcesses(run);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
  return pids.length;
}
