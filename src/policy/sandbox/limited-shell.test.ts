import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { limitedShellArgv } from './limited-shell.js';
import { DEFAULT_RESOURCE_LIMITS } from './sandbox-options.js';

const run = (argv: string[]) => {
  try {
    return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout: string; stderr: string; status: number };
    return `${e.stdout}${e.stderr}status=${e.status}`;
  }
};

describe('limitedShellArgv', () => {
  it('runs the command plainly without limits', () => {
    expect(limitedShellArgv('echo hi', null)).toEqual(['bash', '-c', 'echo hi']);
  });

  it('sets the limits so that the command cannot raise them', () => {
    const out = run(
      limitedShellArgv(
        'ulimit -t; ulimit -Ht; ulimit -c; ulimit -t unlimited && echo raised',
        DEFAULT_RESOURCE_LIMITS,
      ),
    );
    expect(out.split('\n').slice(0, 3)).toEqual(['600', '600', '0']);
    expect(out).not.toContain('raised');
  });

  it('leaves the command its own line numbers, exit status and syntax', () => {
    const out = run(
      limitedShellArgv(
        'echo "line $LINENO"\nfor i in 1 2; do echo $i; done\nexit 7',
        DEFAULT_RESOURCE_LIMITS,
      ),
    );
    expect(out).toBe('line 1\n1\n2\nstatus=7');
  });
});
