import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FoundMark } from './audit-evidence.js';
import { findHeadMarks, markIsGenuine } from './audit-head.js';
import { SECURITY_AUDIT_FILE } from './security-summary.js';

/** The markdown files that record audit heads: every session log and the security summary. */
function markdownFiles(projectRoot: string): string[] {
  const sessions = join(projectRoot, '.ralex/sessions');
  let names: string[] = [];
  try {
    names = readdirSync(sessions).filter((name) => name.endsWith('.md'));
  } catch {
    // No session logs yet.
  }
  return [...names.sort().map((name) => join(sessions, name)), join(projectRoot, SECURITY_AUDIT_FILE)];
}

/**
 * Reads the head marks (`audit: #N 3f9a…… mark …`) from a project's session logs and security
 * summary, each checked against the key; names are relative to the project root.
 */
export function scanHeadMarks(projectRoot: string, key: Buffer): FoundMark[] {
  const found: FoundMark[] = [];
  for (const file of markdownFiles(projectRoot)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const shown = file.slice(projectRoot.length + 1);
    for (const mark of findHeadMarks(text))
      found.push({ file: shown, mark, genuine: markIsGenuine(key, mark) });
  }
  return found;
}
