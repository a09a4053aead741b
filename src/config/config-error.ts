import type { z } from 'zod';
import { RalexError } from '../errors.js';

/**
 * Turns a zod failure into an `invalid_config` error that names the file, the key, what was
 * wrong and how to fix it — the message a person sees when Ralex refuses to start.
 */
export function configError(file: string, issues: readonly z.core.$ZodIssue[]): RalexError {
  const lines = issues.map((issue) => {
    const key = issue.path.length ? issue.path.join('.') : '(top level)';
    return `  - ${key}: ${describeIssue(issue)}`;
  });
  return new RalexError('invalid_config', `Invalid configuration in ${file}:\n${lines.join('\n')}`, {
    details: {
      file,
      issues: issues.map((i) => ({ key: i.path.join('.'), message: describeIssue(i) })),
    },
    hint: `Edit ${file} and fix the key(s) above, or delete the file and run \`ralex init\` to write a fresh, commented default.`,
  });
}

/** A YAML syntax error, with line and column. */
export function yamlSyntaxError(file: string, message: string): RalexError {
  return new RalexError('invalid_config', `Invalid YAML in ${file}: ${message}`, {
    details: { file },
    hint: `Fix the YAML syntax in ${file} (indentation uses spaces; strings with ":" need quotes).`,
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} — check the spelling; see the commented default from \`ralex init\``;
  }
  // A record's key (a model id in models.overrides, a task kind in capability) fails with a generic message; say its own.
  if (issue.code === 'invalid_key')
    return `this key is not valid: ${issue.issues[0]?.message ?? issue.message}`;
  return issue.message;
}
