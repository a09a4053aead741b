import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AuditVerification } from '../../policy/audit/verify-audit-chain.js';
import { systemClock } from '../../util/ids.js';

/** Where the CLI writes and how it sets the exit code; injectable so tests run in process. */
export interface AuditCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const processIo: AuditCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** Where a project's database lives. */
const databaseFile = (project: string) => join(resolve(project), '.ralex/state/ralex.db');

function describeResult(result: AuditVerification, file: string): string {
  if (result.ok) {
    const head = result.headHash ? `, head ${result.headHash.slice(0, 16)}…` : '';
    return `Audit trail intact: ${result.entries} entries${head} (${file})\n`;
  }
  return `Audit trail TAMPERED at entry ${result.firstBadSeq}: ${result.problem} (${file})\n`;
}

/**
 * Registers `ralex audit verify [--json] [--project DIR]`: checks the hash chain of the
 * project's audit log. Exit code 0 when intact, 1 when tampered, 2 when there is no database.
 */
export function registerAuditCommand(program: Command, io: AuditCommandIo = processIo): Command {
  const audit = program.command('audit').description('Inspect the tamper-evident audit trail');
  audit
    .command('verify')
    .description('Check that no audit entry was altered, removed, reordered or inserted')
    .option('--json', 'print one JSON object')
    .option('--project <dir>', 'the project directory', process.cwd())
    .action(async (options: { json?: boolean; project: string }) => {
      const file = databaseFile(options.project);
      if (!existsSync(file)) {
        const message = `No Ralex database at ${file}: nothing to verify.`;
        if (options.json)
          io.stdout(`${JSON.stringify({ ok: false, error: { code: 'not_found', message } })}\n`);
        else io.stderr(`${message}\n`);
        io.setExitCode(2);
        return;
      }
      const [{ openDatabase }, { createAuditTrail }] = await Promise.all([
        import('../../store/database.js'),
        import('../../policy/audit/audit-trail.js'),
      ]);
      const db = openDatabase(file);
      try {
        const result = createAuditTrail(db, systemClock).verify();
        io.stdout(options.json ? `${JSON.stringify(result)}\n` : describeResult(result, file));
        io.setExitCode(result.ok ? 0 : 1);
      } finally {
        db.close();
      }
    });
  return audit;
}
