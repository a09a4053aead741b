import { Command } from 'commander';
import { RALEX_VERSION } from '../version.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerBudgetCommand } from './commands/budget.js';
import { registerCompactCommand } from './commands/compact.js';
import { registerContextCommand } from './commands/context.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerHistoryCommands } from './commands/history.js';
import { registerInitCommand } from './commands/init.js';
import { registerMemoryCommand } from './commands/memory.js';
import { registerModelsCommand } from './commands/models.js';
import { registerPolicyCommand } from './commands/policy.js';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStandardsCommand } from './commands/standards.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerTranscribeCommand } from './commands/transcribe.js';
import { registerTrustCommand } from './commands/trust.js';

/** The `ralex` command line: every subcommand registers itself from its own file. */
export async function runFullCli(): Promise<void> {
  const program = new Command('ralex')
    .description('Voice-first orchestrator for AI coding work.')
    .version(RALEX_VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`ralex: ${text.replace(/^error: /, '')}`) })
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    });

  registerServeCommand(program);
  registerRunCommand(program);
  registerHistoryCommands(program);
  registerStatusCommand(program);
  registerInitCommand(program);
  registerDoctorCommand(program);
  registerPolicyCommand(program);
  registerTrustCommand(program);
  registerAuditCommand(program);
  registerTranscribeCommand(program);
  registerContextCommand(program);
  registerMemoryCommand(program);
  registerStandardsCommand(program);
  registerSyncCommand(program);
  registerCompactCommand(program);
  registerModelsCommand(program);
  registerBudgetCommand(program);

  await program.parseAsync(process.argv);
}
