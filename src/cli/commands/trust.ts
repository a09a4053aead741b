import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
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
  const [{ requireGitProject }, { loadProjectRules, trustProjectRules }, { defaultTrustFile }] =
    await Promise.all([
      import('../../project/open-project.js'),
      import('../../policy/rules-trust.js'),
      import('../../policy/rules-trust-store.js'),
    ]);
  const root = realpathSync.native((await requireGitProject(options.project)).root);
  const trustFile = defaultTrustFile(io.env);
  const { trust: shown } = loadProjectRules(root, { trustFile });
  const done = (t: RulesTrust, code: number) => {
    if (options.json) io.stdout(`${JSON.stringify(t)}\n`);
    io.setExitCode(code);
  };
  if (!options.json) io.stdout(describeTrust(shown));
  if (shown.state !== 'untrusted') return done(shown, EXIT.ok);
  let yes = options.yes === true;
  if (!yes && !options.json && io.confirm) yes = await io.confirm('Trust this version of the file? [y/N] ');
  else if (!yes) {
    if (!options.json)
      io.stderr('Not trusted: no terminal to ask on. Run `ralex trust --yes` to trust it.\n');
    return done(shown, EXIT.needsInput);
  }
  if (!yes) {
    io.stdout('Not trusted: its loosening entries stay ignored.\n');
    return done(shown, EXIT.denied);
  }
  const after = trustProjectRules(root, { trustFile, expectedSha256: shown.sha256 ?? undefined });
  if (after.state !== 'trusted') {
    if (!options.json)
      io.stderr(
        'ralex: the file changed while you looked at it; nothing was trusted. Run `ralex trust` again.\n',
      );
    return done(after, EXIT.failed);
  }
  if (!options.json)
    io.stdout(
      `Trusted ${after.file} (sha256 ${after.sha256!.slice(0, 12)}…). A running \`ralex serve\` applies it when restarted.\n`,
    );
  done(after, EXIT.ok);
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
    import('../../policy/rules-trust-store.js'),
  ]);
  const root = realpathSync.native((await requireGitProject(projectDir)).root);
  const t = trustProjectRules(root, { trustFile: defaultTrustFile(env) });
  if (t.state === 'trusted') process.stderr.write(describeTrust(t));
}

/** The notice `ralex serve` prints at start while the project's rules loosen and are not trusted; null when nothing is ignored. */
export function untrustedNotice(t: RulesTrust): string | null {
  if (t.state !== 'untrusted' || t.loosening.length === 0) return null;
  return `! ${describeTrust(t).trimEnd().split('\n').join('\n  ')}\n  Trust it with \`ralex trust\`, or start with --trust.\n`;
}
