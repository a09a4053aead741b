import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuditEntry } from './audit-entry.js';

/** Where the readable summary lives, relative to the project root. */
export const SECURITY_AUDIT_FILE = '.ralex/context/security_audit.md';

/** The fields the summary reads from a `decision` entry's body (a PolicyDecision, plus the tool). */
const DecisionBodySchema = z.looseObject({
  decision: z.enum(['allow', 'ask', 'deny']),
  rule: z.string().optional(),
  reason: z.string().optional(),
  subject: z.string().optional(),
  tool: z.string().optional(),
});

/** The fields the summary reads from an `approval` entry's body. */
const ApprovalBodySchema = z.looseObject({
  outcome: z.enum(['approved', 'denied', 'timed_out']),
  by: z.string().optional(),
  subject: z.string().optional(),
  tool: z.string().optional(),
  reason: z.string().optional(),
});

const HEADER = `# Security audit

Policy decisions that were not a plain allow, and how each approval ended, oldest first.
This is a readable summary; the tamper-evident record is the audit log in
\`.ralex/state/ralex.db\`, HMAC-chained with the key in \`.ralex/state/audit.key\`. Each item
names the chain's head once it was recorded (\`audit: #seq MAC… mark …\`), which
\`ralex audit verify\` checks against the chain.
`;

/** A one-line code span that survives backticks, newlines and very long commands. */
function code(text: string): string {
  let flat = text.replace(/\r?\n/g, ' ⏎ ');
  if (flat.length > 300) flat = `${flat.slice(0, 300)}…`;
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function render(entry: AuditEntry, head: string): string | null {
  const when = `${entry.ts.slice(0, 19).replace('T', ' ')} UTC`;
  const where = `- Session \`${entry.sessionId ?? '-'}\` · command \`${entry.commandId ?? '-'}\` · ${head}`;
  if (entry.kind === 'decision') {
    const body = DecisionBodySchema.safeParse(entry.body);
    if (!body.success || body.data.decision === 'allow') return null;
    const d = body.data;
    const lines = [`## ${when} · ${d.decision.toUpperCase()}${d.tool ? ` · ${d.tool}` : ''}`];
    if (d.subject) lines.push(`- What: ${code(d.subject)}`);
    lines.push(`- Why: ${oneLine(d.reason ?? 'no reason given')}${d.rule ? ` (rule \`${d.rule}\`)` : ''}`);
    lines.push(where);
    return lines.join('\n');
  }
  if (entry.kind === 'approval') {
    const body = ApprovalBodySchema.safeParse(entry.body);
    if (!body.success) return null;
    const a = body.data;
    const outcome = { approved: 'APPROVED', denied: 'DENIED', timed_out: 'TIMED OUT (denied)' }[a.outcome];
    const lines = [`## ${when} · approval ${outcome}${a.tool ? ` · ${a.tool}` : ''}`];
    if (a.subject) lines.push(`- What: ${code(a.subject)}`);
    if (a.by) lines.push(`- By: ${oneLine(a.by)}`);
    lines.push(where);
    return lines.join('\n');
  }
  return null;
}

/**
 * Appends a readable account of a `deny` or `ask` decision, or of an approval's outcome, to
 * `.ralex/context/security_audit.md` (created with a header if new), with `head`, the line
 * naming the chain's head at that entry (`AuditTrail.headLine`). Other entries are ignored.
 * Returns whether something was written.
 */
export function appendSecuritySummary(projectRoot: string, entry: AuditEntry, head: string): boolean {
  const text = render(entry, head);
  if (text === null) return false;
  const file = join(projectRoot, SECURITY_AUDIT_FILE);
  if (!existsSync(file)) {
    mkdirSync(join(projectRoot, '.ralex/context'), { recursive: true });
    appendFileSync(file, HEADER);
  }
  appendFileSync(file, `\n${text}\n`);
  return true;
}
