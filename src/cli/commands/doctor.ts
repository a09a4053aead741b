import type { Command } from 'commander';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

/**
 * `ralex doctor`: checks everything Ralex depends on — Node, git, the project, its config, the
 * store, model providers, the sandbox, voice tools, OpenCode — and says how to fix what is off.
 * Exits 1 when something fails (warnings alone exit 0).
 */
export function registerDoctorCommand(program: Command): void {
  withProjectOption(
    program
      .command('doctor')
      .description('check the set-up and say how to fix what is off')
      .option('--json', 'print findings as JSON'),
  ).action(
    action(async (options: { project: string; json?: boolean }) => {
      const { diagnose } = await import('./diagnose.js');
      const findings = await diagnose(options.project);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ ok: !findings.some((f) => f.state === 'fail'), findings })}\n`,
        );
      } else {
        for (const f of findings) {
          process.stdout.write(
            `${MARK[f.state]} ${f.check}: ${f.detail}\n${f.fix ? `    fix: ${f.fix}\n` : ''}`,
          );
        }
      }
      if (findings.some((f) => f.state === 'fail')) process.exitCode = 1;
    }),
  );
}
