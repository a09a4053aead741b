import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { RalexError } from '../errors.js';
import { yamlModule } from '../util/yaml-module.js';
import { type SecurityRules, SecurityRulesSchema } from './security-rules.js';

/** Where the rules live, relative to the project root. */
export const SECURITY_RULES_PATH = '.ralex/config/security_rules.yaml';

/**
 * Reads and validates `.ralex/config/security_rules.yaml`. A missing file means defaults only.
 * Throws RalexError('invalid_config') naming the file, the key path, what is wrong and how to fix it.
 */
export function loadSecurityRules(projectRoot: string): SecurityRules {
  return readSecurityRulesFile(projectRoot).rules;
}

/** The rules file as read: its text and the SHA-256 of its bytes (null when there is none), and the validated rules. */
export interface SecurityRulesFile {
  text: string | null;
  sha256: string | null;
  rules: SecurityRules;
}

/** Like loadSecurityRules, and also returns the text the rules were read from (for its hash). */
export function readSecurityRulesFile(projectRoot: string): SecurityRulesFile {
  const file = join(projectRoot, SECURITY_RULES_PATH);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { text: null, sha256: null, rules: SecurityRulesSchema.parse({}) };
    throw new RalexError('invalid_config', `Cannot read ${file}: ${(error as Error).message}`, {
      details: { file },
      hint: 'Check the file permissions, or delete the file to use the default rules.',
      cause: error,
    });
  }
  const text = bytes.toString('utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { text, sha256, rules: parseSecurityRules(text, file) };
}

/** Validates rules given as YAML text; `file` is only used in error messages. */
export function parseSecurityRules(text: string, file: string = SECURITY_RULES_PATH): SecurityRules {
  let raw: unknown;
  try {
    raw = yamlModule().parse(text) ?? {};
  } catch (error) {
    throw new RalexError('invalid_config', `${file} is not valid YAML: ${(error as Error).message}`, {
      details: { file },
      hint: 'Fix the YAML syntax at the line shown, or delete the file to use the default rules.',
      cause: error,
    });
  }
  const result = SecurityRulesSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const keyPath = issue.path.map(String).join('.') || '(top level)';
  throw new RalexError('invalid_config', `${file}: at "${keyPath}": ${issue.message}`, {
    details: {
      file,
      keyPath,
      issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    },
    hint: hintFor(keyPath),
  });
}

function hintFor(keyPath: string): string {
  if (/decision$/.test(keyPath) || /^tools\./.test(keyPath) || /^defaults\./.test(keyPath))
    return 'Use one of: allow, ask, deny.';
  if (/^commands/.test(keyPath))
    return 'Each command rule is {match: "git push", decision: ask} or {regex: "^make deploy", decision: ask}.';
  if (/^paths/.test(keyPath))
    return 'Each path rule is {glob: "docs/**", access: read|write|any, decision: ask}.';
  if (keyPath === 'unknown_commands') return 'Use ask or deny.';
  if (/^writable_outside/.test(keyPath)) return 'List absolute globs such as "/tmp/**".';
  return 'See docs/policy.md for the file format; known keys are version, tools, commands, paths, defaults, unknown_commands, writable_outside.';
}
