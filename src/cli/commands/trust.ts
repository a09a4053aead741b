import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { PreferencesTrust } from '../../config/preferences-trust.js';
import { toRalexError } from '../../errors.js';
import type { RulesTrust } from '../../policy/rules-trust.js';
import { EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** Where `ralex trust` writes, asks and sets the exit code; injectable so tests run in process. */
export interface TrustCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
  /** Asks a yes/no question on a terminal; null when there is none to ask on. */
  confirm: ((question: string) => Promise<boolean>) | null;
  env: NodeJS.ProcessEnv;
}

const processIo = (): TrustCommandIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  confirm: process.stdin.isTTY
    ? async (question) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(question)).trim());
        } finally {
          rl.close();
        }
      }
    : null,
  env: process.env,
});

type Options = { project: string; yes?: boolean; json?: boolean };

/**
 * `ralex trust [--project DIR] [--yes] [--json]`: shows what the project's own
 * `.ralex/config/security_rules.yaml` loosens, in words, and asks whether to trust this version of
 * it (remembered by its SHA-256, outside the project). `--yes` trusts without asking; `--json`
 * prints one JSON object. Exit 0 when trusted (or no file), 3 when the answer was no, 4 when
 * it needs an answer and there is no terminal, 1 on an invalid file.
 */
export function registerTrustCommand(program: Command, io: TrustCommandIo = processIo()): Command {
  return withProjectOption(
    program
      .command('trust')
      .description("trust the project's own security rules, after seeing what they loosen")
      .option('-y, --yes', 'trust without asking')
      .option('--json', 'print one JSON object'),
  ).action(async (options: Options) => {
    try {
      await trust(io, options);
    } catch (error) {
      const e = toRalexError(error);
      if (options.json) io.stdout(`${JSON.stringify({ error: e.toJSON() })}\n`);
      else io.stderr(`ralex: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      io.setExitCode(EXIT.failed);
    }
  });
}

async function trust(io: TrustCommandIo, options: Options): Promise<void> {
  const [{ requireGitProject }, { loadProjectRules, trustProjectRules }, { defaultTrustFile }, prefs] =
    await Promise.all([
      import('../../project/open-project.js'),
      import('../../policy/rules-trust.js'),
      import('../../config/trust-store.js'),
      import('../../config/preferences-trust.js'),
    ]);
  const root = realpathSync.native((await requireGitProject(options.project)).root);
  const trustFile = defaultTrustFile(io.env);
  const { trust: shown } = loadProjectRules(root, { trustFile });
  const shownPrefs = prefs.preferencesTrustOf(root, trustFile);
  const done = (t: RulesTrust, p: PreferencesTrust, code: number) => {
    if (options.json) io.stdout(`${JSON.stringify({ ...t, preferences: p })}\n`);
    io.setExitCode(code);
  };
  if (!options.json) io.stdout(`${describeTrust(shown)}${describePreferencesTrust(shownPrefs)}`);
  if (shown.state !== 'untrusted' && shownPrefs.state !== 'untrusted')
    return done(shown, shownPrefs, EXIT.ok);
  let yes = options.yes === true;
  if (!yes && !options.json && io.confirm) yes = await io.confirm('Trust this version? [y/N] ');
  else if (!yes) {
    if (!options.json)
      io.stderr('Not trusted: no terminal to ask on. Run `ralex trust --yes` to trust it.\n');
    return done(shown, shownPrefs, EXIT.needsInput);
  }
  if (!yes) {
    io.stdout('Not trusted: those entries stay ignored.\n');
    return done(shown, shownPrefs, EXIT.denied);
  }
  const after =
    shown.state === 'untrusted'
      ? trustProjectRules(root, { trustFile, expectedSha256: shown.sha256 ?? undefined })
      : shown;
  prefs.trustPreferences(root, shownPrefs, trustFile);
  const afterPrefs = prefs.preferencesTrustOf(root, trustFile);
  if (after.state === 'untrusted' || afterPrefs.state === 'untrusted') {
    if (!options.json)
      io.stderr(
        'ralex: a file changed while you looked at it; it was not trusted. Run `ralex trust` again.\n',
      );
    return done(after, afterPrefs, EXIT.failed);
  }
  if (!options.json) {
    for (const t of [after, afterPrefs])
      if (t.sha256 && t.state === 'trusted')
        io.stdout(`Trusted ${t.file} (sha256 ${t.sha256.slice(0, 12)}…).\n`);
    io.stdout('A running `ralex serve` applies it when restarted.\n');
  }
  done(after, afterPrefs, EXIT.ok);
}

/** The preferences' trust status for people: the settings that send data out, in words. */
export function describePreferencesTrust(p: PreferencesTrust): string {
  if (p.outward.length === 0) return '';
  const lines = [p.message, `  ${p.file}, sha256 ${p.sha256?.slice(0, 12)}…`];
  lines.push(
    p.state === 'trusted' ? '  It sends data out or widens the sandbox:' : '  Ignored until trusted:',
  );
  for (const o of p.outward) lines.push(`  - ${o.key}: ${o.words}`);
  return `${lines.join('\n')}\n`;
}

/** The trust status for people: the file, its hash, and each loosening entry in words. */
export function describeTrust(t: RulesTrust): string {
  const lines = [t.message];
  if (t.sha256) lines.push(`  ${t.file}, sha256 ${t.sha256.slice(0, 12)}…`);
  if (t.loosening.length) {
    lines.push(t.state === 'trusted' ? '  It loosens the built-in rules:' : '  Ignored until trusted:');
    for (const l of t.loosening) lines.push(`  - ${l.words}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `--trust` of `ralex serve` and `ralex run`: trusts the project's rules file as it is now,
 * before the runtime reads it, and says on stderr what that lets through.
 */
export async function trustOnStart(projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [{ requireGitProject }, { trustProjectRules }, { defaultTrustFile }] = await Promise.all([
    import('../../project/open-project.js'),
    import('../../policy/rules-trust.js'),
    import('../../config/trust-store.js'),
  ]);
  const root = realpathSync.native((await requireGitProject(projectDir)).root);
  const trustFile = defaultTrustFile(env);
  const t = trustProjectRules(root, { trustFile });
  if (t.state === 'trusted') process.stderr.write(describeTrust(t));
  const { preferencesTrustOf, trustPreferences } = await import('../../config/preferences-trust.js');
  const p = preferencesTrustOf(root, trustFile);
  trustPreferences(root, p, trustFile);
  if (p.state === 'untrusted') process.stderr.write(describePreferencesTrust({ ...p, state: 'trusted' }));
}

/**
 * The notice `ralex serve` prints at start while the project's rules loosen or its preferences
 * send data out and are not trusted; null when nothing is ignored.
 */
export function untrustedNotice(t: RulesTrust, p?: PreferencesTrust): string | null {
  const parts: string[] = [];
  if (t.state === 'untrusted' && t.loosening.length > 0) parts.push(describeTrust(t));
  if (p?.state === 'untrusted') parts.push(describePreferencesTrust(p));
  if (parts.length === 0) return null;
  return `! ${parts.join('').trimEnd().split('\n').join('\n  ')}\n  Trust it with \`ralex trust\`, or start with --trust.\n`;
}
