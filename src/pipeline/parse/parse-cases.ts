import { type Intent, isDirectIntent, type ParsedCommand } from '../../command/parsed-command.js';
import { parseCommand } from './parse-command.js';

/**
 * Shared by the parseCommand tests: a realistic project file list and a way to compare a parse with
 * an expected case (data only; the tests make the assertions).
 */

/** A realistic project; lib/payment-service.js and lib/paymentService.js are near-twins on purpose. */
export const SAMPLE_FILES: readonly string[] = [
  '.env.example',
  '.github/workflows/ci.yml',
  'Makefile',
  'README.md',
  'config/settings.yaml',
  'docs/getting-started.md',
  'lib/payment-service.js',
  'lib/paymentService.js',
  'package.json',
  'scripts/deploy.sh',
  'src/api/v2/client.ts',
  'src/app.ts',
  'src/components/LoginForm.tsx',
  'src/components/UserAvatar.tsx',
  'src/db/migrations/0042_add_users.sql',
  'src/index.ts',
  'src/user_auth.py',
  'src/utils/format_date.py',
  'tests/test_format_date.py',
  'tests/test_user_auth.py',
  'web/src/app.ts',
];

/** One expected parse: what is not given must be empty (files, args), false (autoSubmit) or null (trigger). */
export interface ParseCase {
  text: string;
  intent: Intent;
  files?: string[];
  autoSubmit?: boolean;
  trigger?: string | null;
  /** Checked only when given. */
  request?: string;
  args?: Record<string, string>;
}

/** Parses `c.text` over SAMPLE_FILES and returns the parsed fields next to the expected ones, ready for `toEqual`. */
export function observeCase(c: ParseCase): {
  actual: Partial<ParsedCommand>;
  expected: Partial<ParsedCommand>;
} {
  const p = parseCommand(c.text, { files: SAMPLE_FILES });
  const actual = {
    intent: p.intent,
    direct: p.direct,
    files: p.files,
    autoSubmit: p.autoSubmit,
    trigger: p.trigger,
    args: p.args,
    ...(c.request === undefined ? {} : { request: p.request }),
  };
  const expected = {
    intent: c.intent,
    direct: isDirectIntent(c.intent),
    files: c.files ?? [],
    autoSubmit: c.autoSubmit ?? false,
    trigger: c.trigger ?? null,
    args: c.args ?? {},
    ...(c.request === undefined ? {} : { request: c.request }),
  };
  return { actual, expected };
}
