import type { ResourceLimits } from './sandbox-options.js';

/**
 * The argv that runs `command` with `bash -c`, optionally under resource limits. Limits are
 * set by `ulimit` statements (soft and hard; each on its own, so one the parent's hard limit
 * refuses does not stop the others) placed on the same line before the command, so the
 * command parses, numbers its lines and behaves as it would alone, at the cost of no
 * extra process. Setting the hard limit too means the command cannot raise them again.
 */
export function limitedShellArgv(command: string, limits: ResourceLimits | null): string[] {
  if (!limits) return ['bash', '-c', command];
  const settings: [string, number][] = [
    ['-t', limits.cpuSeconds],
    ['-f', Math.max(1, Math.floor(limits.fileSizeBytes / 1024))], // bash counts -f in KiB blocks
    ['-u', limits.processes],
    ['-c', Math.floor(limits.coreBytes / 1024)],
  ];
  const prelude = settings.map(([flag, value]) => `ulimit ${flag} ${value} 2>/dev/null;`).join(' ');
  return ['bash', '-c', `${prelude} ${command}`];
}
