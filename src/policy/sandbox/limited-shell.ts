import type { ResourceLimits } from './sandbox-options.js';

/**
 * The argv that runs `command` with `bash -c`, optionally under resource limits. With limits,
 * an outer bash sets them with `ulimit` (each on its own, so one the parent's hard limit
 * refuses does not stop the others) and then `exec`s `bash -c command`, so the command sees
 * exactly the `bash -c` semantics it would have without limits.
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
  return ['bash', '-c', `${prelude} exec bash -c "$1"`, 'ralex-limits', command];
}
