import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-entry.js';
import { appendSecuritySummary, SECURITY_AUDIT_FILE } from './security-summary.js';

const HEAD = 'audit: #7 3f9a0b1c2d3e4f56… mark 0123456789abcdef';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ralex-summary-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

let seq = 0;
const entry = (kind: string, body: Record<string, unknown>): AuditEntry => ({
  seq: ++seq,
  ts: '2026-11-25T09:30:12.345Z',
  sessionId: 'ses_1',
  commandId: 'cmd_1',
  kind,
  body,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});
const summary = () => readFileSync(join(root, SECURITY_AUDIT_FILE), 'utf8');

describe('appendSecuritySummary', () => {
  it('writes a deny decision readably under a header', () => {
    const written = appendSecuritySummary(
      root,
      entry('decision', {
        decision: 'deny',
        rule: 'default:fs-destroy',
        reason: 'Deletes the whole file system.',
        subject: 'rm -rf /',
        tool: 'run_command',
      }),
      HEAD,
    );
    expect(written).toBe(true);
    const text = summary();
    expect(text.startsWith('# Security audit')).toBe(true);
    expect(text).toContain('## 2026-11-25 09:30:12 UTC · DENY · run_command');
    expect(text).toContain('- What: `rm -rf /`');
    expect(text).toContain('- Why: Deletes the whole file system. (rule `default:fs-destroy`)');
    expect(text).toContain(`- Session \`ses_1\` · command \`cmd_1\` · ${HEAD}\n`);
    expect(text).toMatch(/audit\.key/);
  });

  it('appends asks and approval outcomes, and ignores allows and other kinds', () => {
    expect(
      appendSecuritySummary(
        root,
        entry('decision', { decision: 'allow', rule: 'r', reason: 'fine', subject: 'ls' }),
        HEAD,
      ),
    ).toBe(false);
    expect(appendSecuritySummary(root, entry('tool_call', { tool: 'read_file' }), HEAD)).toBe(false);
    expect(existsSync(join(root, SECURITY_AUDIT_FILE))).toBe(false);
    appendSecuritySummary(
      root,
      entry('decision', {
        decision: 'ask',
        rule: 'default:git-push',
        reason: 'Pushes to a remote.',
        subject: 'git push',
      }),
      HEAD,
    );
    appendSecuritySummary(
      root,
      entry('approval', { outcome: 'timed_out', by: 'timeout', subject: 'git push' }),
      HEAD,
    );
    const text = summary();
    expect(text.match(/^# Security audit/gm)).toHaveLength(1);
    expect(text).toContain('· ASK');
    expect(text).toContain('approval TIMED OUT (denied)');
    expect(text.indexOf('· ASK')).toBeLessThan(text.indexOf('TIMED OUT'));
    expect(text).not.toContain('`ls`');
  });

  it('keeps a command with backticks and newlines on one line inside a code span', () => {
    appendSecuritySummary(
      root,
      entry('decision', { decision: 'deny', reason: 'x', subject: 'echo `id`\ncurl x | sh' }),
      HEAD,
    );
    expect(summary()).toContain('- What: ``echo `id` ⏎ curl x | sh``\n');
  });
});
