import { isSecretEnvName } from '../../policy/sandbox/child-env.js';
import { isSecretPath } from '../../project/secret-files.js';

/** Shapes of credentials in text: provider key prefixes, private key blocks, bearer tokens, URLs with a password. */
const SECRET_VALUE =
  /(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|[Bb]earer\s+[A-Za-z0-9._~+/=-]{16,}|[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@)/;

/**
 * Why a text may not go into memory, or null when it may: a credential-shaped value, or a secret
 * variable given a value (`OPENAI_API_KEY=…`, the sandbox's secret-name rule). Naming a secret
 * file ("never commit .env") is fine; its content never enters memory (`isMemorablePath`).
 * Memory is plain text that syncs between devices.
 */
export function secretIn(text: string): string | null {
  if (SECRET_VALUE.test(text)) return 'it looks like it contains a credential';
  for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*[:=]\s*["']?([^\s"']{4,})/g)) {
    if (isSecretEnvName(m[1]!)) return `it gives ${m[1]} a value`;
  }
  return null;
}

/** Whether a project path may appear in generated memory (relationships, history): not a secret file, not Ralex's state. */
export function isMemorablePath(path: string): boolean {
  return !isSecretPath(path) && !path.startsWith('.ralex/');
}
