import { resolve } from 'node:path';
import { isSecretPath } from '../../project/secret-files.js';
import { baseName } from '../command-pattern.js';
import type { PolicyContext } from '../compiled-rules.js';
import { decide, type PolicyDecision } from '../decision.js';
import { withOverride } from '../security-rules.js';
import { classifyInvocation, envDecisions, ruleDecision } from './classify-invocation.js';
import { codeDecisions, pipedLiteral } from './code-decisions.js';
import { descendants, fetchesOrDecodes } from './code-sources.js';
import { embeddedCode, environmentCode } from './embedded-code.js';
import { pathArguments } from './path-arguments.js';
import { SHELLS } from './program-catalog.js';
import type { AnalyzeNested, ShellFindings } from './shell-findings.js';
import { shellPathCheck } from './shell-path-check.js';
import type { ShellStructure, SimpleCommand } from './simple-command.js';
import { type InlineCode, unwrapCommand } from './unwrap-command.js';
import { DYNAMIC } from './word-value.js';

/** Programs that print or copy what is inside the files they are given. */
const CONTENT_READERS = new Set(
  'cat tac head tail less more nl base64 base32 xxd od hexdump strings cp scp rsync tar zip gzip bzip2 xz source . openssl gpg iconv sort uniq cut paste column fold rev jq yq sed awk grep egrep fgrep rg ag diff'.split(
    ' ',
  ),
);

/** Earlier stages of the command's pipeline (and what runs inside them). */
function upstream(cmd: SimpleCommand, s: ShellStructure): SimpleCommand[] {
  if (!cmd.pipeline) return [];
  const { id, stage } = cmd.pipeline;
  return s.commands.filter((c) => c.pipeline?.id === id && c.pipeline.stage < stage);
}

/** True when a command names a secret-looking file or pattern (`-name .env`, `ls *.pem`). */
function namesSecret(c: SimpleCommand): boolean {
  return c.argv.slice(1).some((a) => isSecretPath(a) || isSecretPath(a.replace(/[*?[\]{}]/g, '')));
}

/** Files written and files executed in one line, to catch "write a script, then run it". */
export interface LineFiles {
  written: Set<string>;
  executed: { path: string; shown: string; subject: string }[];
}

/** The commands xargs builds from a literal input: each line into `-I` placeholders, or all words appended. */
function xargsCommands(
  argv: string[],
  replace: string | undefined,
  input: string | null | undefined,
): string[][] {
  if (input === null || input === undefined) return [];
  if (replace === undefined) {
    const words = input.split(/\s+/).filter(Boolean).slice(0, 200);
    return words.length ? [[...argv, ...words]] : [];
  }
  return input
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 50)
    .map((line) => argv.map((w) => w.split(replace).join(line.trim())));
}

/** Resolves a path word lexically against the command's directory (`~` is home). */
export function resolveIn(p: string, cwd: string | null, ctx: PolicyContext): string {
  const q = p === '~' || p.startsWith('~/') ? ctx.home + p.slice(1) : p;
  return resolve(cwd ?? ctx.projectRoot, q);
}

/**
 * Decides one simple command: a run-time or disguised program name, environment assignments,
 * what runs inside its wrappers (rules, paths, detectors), each wrapper level, the script an
 * interpreter runs and any inline code. Files it writes and runs are noted in `files`.
 */
export function commandDecisions(
  cmd: SimpleCommand,
  s: ShellStructure,
  ctx: PolicyContext,
  analyze: AnalyzeNested,
  mine: PolicyDecision[],
  out: ShellFindings,
  files: LineFiles,
): void {
  const subject = cmd.text;
  mine.push(...envDecisions(cmd.env, ctx, subject));
  if (cmd.argv.length === 0) return;
  if (cmd.nameDynamic) {
    const fromNetwork = descendants(s, cmd.id).some(fetchesOrDecodes);
    mine.push(
      fromNetwork
        ? withOverride(
            decide(
              'deny',
              'default:download-exec',
              'The program to run comes from the network or from decoded data.',
              subject,
            ),
            ctx.rules,
          )
        : decide(
            'ask',
            'hard:dynamic-command',
            'The program name is only known at run time, so Ralex cannot tell what will run.',
            subject,
          ),
    );
    return;
  }
  if (cmd.nameTransformed) {
    mine.push(
      decide(
        'ask',
        'hard:obfuscated-command',
        `The program name "${cmd.argv[0]}" is written with quotes, escapes or encodings, a common way to hide a command.`,
        subject,
      ),
    );
  }
  const u = unwrapCommand(cmd.argv);
  mine.push(...envDecisions(u.env, ctx, subject));
  for (const argv of [u.argv, ...u.extra]) {
    if (argv.length === 0) continue;
    if (argv[0]!.includes(DYNAMIC)) {
      mine.push(
        decide(
          'ask',
          'hard:dynamic-command',
          'The program a wrapper runs is only known at run time.',
          subject,
        ),
      );
      continue;
    }
    const r = classifyInvocation(argv, cmd.cwd, ctx, subject);
    for (const w of pathArguments(argv).writes) files.written.add(resolveIn(w, cmd.cwd, ctx));
    if (argv[0]!.includes('/'))
      files.executed.push({ path: resolveIn(argv[0]!, cmd.cwd, ctx), shown: argv[0]!, subject });
    mine.push(...r.decisions);
    out.network ||= r.network;
    out.secretRead ||= r.secretRead;
    if (argv === u.argv && u.appendsArgs) {
      // `echo / | xargs rm -rf`: when xargs reads literal words, judge the commands it will build.
      for (const built of xargsCommands(argv, u.replace, cmd.stdinLiteral ?? pipedLiteral(cmd, s)))
        mine.push(...classifyInvocation(built, cmd.cwd, ctx, subject).decisions);
    }
    if (u.appendsArgs && argv === u.argv && r.decisions.some((d) => d.rule === 'default:delete')) {
      mine.push(
        withOverride(
          decide('ask', 'default:dynamic-path', 'xargs adds file names only known at run time.', subject),
          ctx.rules,
        ),
      );
    }
    const name = baseName(argv[0]!);
    if (CONTENT_READERS.has(name)) {
      // `cat $(ls .env)`, `cat "$f"`, `find -name .env | xargs cat`: file names only known at run time.
      const dynamicFile = argv.slice(1).some((a) => a.startsWith(DYNAMIC) && !a.startsWith('-'));
      const fedSecrets = argv === u.argv && u.appendsArgs && upstream(cmd, s).some(namesSecret);
      if (fedSecrets) {
        out.secretRead = true;
        mine.push(
          withOverride(
            decide(
              'ask',
              'default:secret-read',
              `${name} reads files whose names look like secrets.`,
              subject,
            ),
            ctx.rules,
          ),
        );
      } else if (dynamicFile) {
        mine.push(
          withOverride(
            decide(
              'ask',
              'default:dynamic-path',
              `${name} reads a file whose name is only known at run time.`,
              subject,
            ),
            ctx.rules,
          ),
        );
      }
    }
  }
  // The words as written (e.g. sudo ...) and each wrapper are rule levels of their own.
  if (u.wrappers.length > 0) {
    mine.push(ruleDecision(cmd.argv, cmd.cwd, ctx, subject));
    for (const w of u.wrappers.slice(1)) mine.push(ruleDecision(w.split(' '), cmd.cwd, ctx, subject));
  }
  if (u.script?.includes(DYNAMIC)) {
    const interpreter = baseName(u.argv[0] ?? '');
    const language =
      SHELLS.has(interpreter) || interpreter === 'source' || interpreter === '.' ? 'shell' : 'other';
    mine.push(
      ...codeDecisions({ language, interpreter, code: null, from: 'arg' }, cmd, s, ctx, analyze, out),
    );
  } else if (u.script !== undefined) {
    mine.push(shellPathCheck(u.script, false, cmd.cwd, ctx));
    files.executed.push({ path: resolveIn(u.script, cmd.cwd, ctx), shown: u.script, subject });
  }
  for (const code of u.code) {
    // xargs -I{} sh -c '{}': the code is whatever arrives on xargs' standard input.
    const viaXargs = u.replace !== undefined && code.code?.includes(u.replace);
    const effective: InlineCode = viaXargs ? { ...code, code: null, from: 'stdin' } : code;
    mine.push(...codeDecisions(effective, cmd, s, ctx, analyze, out));
  }
  // Code hidden in options, configuration and environment (`git -c core.pager=…`, `EDITOR=…`):
  // the option is asked by the rules; what it would run is judged as well.
  const embedded = [
    ...[u.argv, ...u.extra].flatMap((argv, i) => embeddedCode(argv, i === 0 ? u.code : [])),
    ...environmentCode([...cmd.env, ...u.env]),
  ];
  for (const code of embedded) mine.push(...codeDecisions(code, cmd, s, ctx, analyze, out));
}
