import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AuditVerification } from '../../policy/audit/verify-audit-trail.js';

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

const EXIT = { intact: 0, tampered: 1, unverifiable: 2 } as const;

function describeResult(result: AuditVerification, file: string): string {
  const head = result.head ? `, head #${result.head.seq} ${result.head.mac.slice(0, 16)}…` : '';
  const lines: string[] = [];
  if (result.status === 'intact')
    lines.push(`Audit trail intact: ${result.entries} entries${head} (${file})`);
  else if (result.status === 'tampered') {
    lines.push(`Audit trail TAMPERED at entry ${result.firstBadSeq}: ${result.problem} (${file})`);
  } else lines.push(`Audit trail CANNOT BE VERIFIED: ${result.problem} (${file})`);
  const rest = result.findings.filter((f) => f.message !== result.problem);
  for (const finding of rest) {
    const where = finding.file ? ` [${finding.file}]` : '';
    lines.push(`  ${finding.severity === 'warning' ? 'warning' : finding.code}: ${finding.message}${where}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Registers `ralex audit verify [--json] [--project DIR]`: checks the keyed chain of the
 * project's audit log against its key, its head file and the heads recorded in session logs.
 * Exit code 0 when intact, 1 when tampered, 2 when the database is missing or the key is
 * missing or unusable (nothing can be checked).
 */
export function registerAuditCommand(program: Command, io: AuditCommandIo = processIo): Command {
  const audit = program.command('audit').description('Inspect the tamper-evident audit trail');
  audit
    .command('verify')
    .description(
      'Check that no audit entry was edited, deleted, rewritten or cut off, and that the database is not an older copy',
    )
    .option('--json', 'print one JSON object')
    .option('--project <dir>', 'the project directory', process.cwd())
    .action(async (options: { json?: boolean; project: string }) => {
      const project = resolve(options.project);
      const stateDir = join(project, '.ralex/state');
      const file = join(stateDir, 'ralex.db');
      if (!existsSync(file)) {
        const message = `No Ralex database at ${file}: nothing to verify.`;
        if (options.json)
          io.stdout(`${JSON.stringify({ ok: false, error: { code: 'not_found', message } })}\n`);
        else io.stderr(`${message}\n`);
        io.setExitCode(2);
        return;
      }
      const [{ openDatabase }, { verifyAuditTrail }, { auditFilesIn }] = await Promise.all([
        import('../../store/database.js'),
        import('../../policy/audit/verify-audit-trail.js'),
        import('../../policy/audit/audit-files.js'),
      ]);
      const db = openDatabase(file);
      try {
        const result = verifyAuditTrail(db, auditFilesIn(stateDir), { database: file, projectRoot: project });
        io.stdout(options.json ? `${JSON.stringify(result)}\n` : describeResult(result, file));
        io.setExitCode(EXIT[result.status]);
      } finally {
        db.close();
      }
    });
  return audit;
}
