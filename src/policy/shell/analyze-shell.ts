import { resolve } from 'node:path';
import { baseName } from '../command-pattern.js';
import type { PolicyContext } from '../compiled-rules.js';
import { decide, type PolicyDecision, strictest } from '../decision.js';
import { withOverride } from '../security-rules.js';
import { classifyInvocation, envDecisions, ruleDecision } from './classify-invocation.js';
import { extractCommands } from './extract-commands.js';
import { pathArguments } from './path-arguments.js';
import { isDecoder, NETWORK_FETCHERS, SHELLS } from './program-catalog.js';
import type { ShellParser } from './shell-parser.js';
import { shellPathCheck } from './shell-path-check.js';
import type { ShellStructure, SimpleCommand } from './simple-command.js';
import { type InlineCode, unwrapCommand } from './unwrap-command.js';
import { DYNAMIC } from './word-value.js';

/** The verdict on one simple command inside a shell line. */
export interface ShellCommandReport {
  text: string;
  argv: string[];
  decision: PolicyDecision;
}

/** Everything decided about a shell line: all decisions that applied, per-command reports, and flags. */
export interface ShellFindings {
  decisions: PolicyDecision[];
  commands: ShellCommandReport[];
  network: boolean;
  secretRead: boolean;
}

const MAX_DEPTH = 4;
const LITERAL_SOURCES = new Set(['echo', 'printf']);

/** Analyses a shell line: every simple command, redirection, pipeline and nested code it contains. */
export function analyzeShell(
  parser: ShellParser,
  source: string,
  ctx: PolicyContext,
  cwd: string | null,
  depth = 0,
): ShellFindings {
  const out: ShellFindings = { decisions: [], commands: [], network: false, secretRead: false };
  if (depth > MAX_DEPTH) {
    out.decisions.push(
      decide(
        'ask',
        'hard:nesting-too-deep',
        'Code nested this deeply inside interpreters is not analysed, so it needs approval.',
        source,
      ),
    );
    return out;
  }
  const variants = source.includes('\\\n') ? [source, source.replace(/\\\n/g, '')] : [source];
  for (const text of variants) analyzeOne(parser, text, ctx, cwd, depth, out);
  if (out.secretRead && out.network) {
    out.decisions.push(
      withOverride(
        decide(
          'deny',
          'default:secret-exfiltration',
          'The command reads secrets and talks to the network in the same line.',
          source,
        ),
        ctx.rules,
      ),
    );
  }
  return out;
}

function analyzeOne(
  parser: ShellParser,
  source: string,
  ctx: PolicyContext,
  cwd: string | null,
  depth: number,
  out: ShellFindings,
): void {
  const tree = parser.parse(source);
  if (!tree) {
    out.decisions.push(
      decide('ask', 'hard:parse-error', 'The shell parser could not read this command.', source),
    );
    return;
  }
  let structure: ShellStructure;
  try {
    structure = extractCommands(tree.rootNode, cwd ?? ctx.projectRoot, ctx.home);
  } finally {
    tree.delete();
  }
  if (cwd === null) for (const c of structure.commands) c.cwd = null;
  for (const p of structure.problems)
    out.decisions.push(withOverride(decide(p.decision, p.rule, p.reason, source), ctx.rules));
  out.decisions.push(...envDecisions(structure.assignments, ctx, source));
  if (
    /\$\{?[A-Za-z_]*(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL)[A-Za-z_]*/i.test(
      source,
    )
  ) {
    out.secretRead = true;
    out.decisions.push(
      withOverride(
        decide('ask', 'default:secret-read', 'The command uses a variable that looks like a secret.', source),
        ctx.rules,
      ),
    );
  }
  for (const body of structure.doubleParens) {
    // sh/dash run `((cmd))` as two nested subshells: judge the body as commands too.
    const inner = analyzeShell(parser, body, ctx, cwd, depth + 1);
    out.decisions.push(...inner.decisions.filter((d) => d.decision !== 'allow'));
    out.network ||= inner.network;
    out.secretRead ||= inner.secretRead;
  }
  const files: LineFiles = { written: new Set(), executed: [] };
  for (const cmd of structure.commands) {
    const mine: PolicyDecision[] = [];
    commandDecisions(parser, cmd, structure, ctx, depth, mine, out, files);
    const verdict = strictest(mine, decide('allow', 'default:no-op', 'Nothing runs.', cmd.text));
    out.commands.push({
      text: cmd.text,
      argv: cmd.argv.map((a) => a.split(DYNAMIC).join('$…')),
      decision: verdict,
    });
    out.decisions.push(...mine);
  }
  for (const r of structure.redirects) {
    if (r.kind !== 'write' && r.kind !== 'read') continue;
    if (r.kind === 'write') for (const v of r.values) files.written.add(resolveIn(v, r.cwd, ctx));
    for (const v of r.values) {
      if (/^\/dev\/(tcp|udp)\//.test(v)) {
        out.network = true;
        out.decisions.push(
          withOverride(
            decide(
              'deny',
              'default:dev-tcp',
              `Redirecting to ${v} opens a raw network connection (a reverse-shell pattern).`,
              v,
            ),
            ctx.rules,
          ),
        );
        continue;
      }
      const d = shellPathCheck(v, r.kind === 'write', r.cwd, ctx);
      if (d.rule === 'default:secret-read') out.secretRead = true;
      out.decisions.push(d);
    }
  }
  for (const e of files.executed) {
    if (!files.written.has(e.path)) continue;
    const fetched = structure.commands.some(fetchesOrDecodes);
    out.decisions.push(
      fetched
        ? withOverride(
            decide(
              'deny',
              'default:download-exec',
              `${e.shown} is downloaded and then run in the same command.`,
              e.subject,
            ),
            ctx.rules,
          )
        : withOverride(
            decide(
              'ask',
              'default:write-then-exec',
              `${e.shown} is written and then run in the same command, so what runs is not what was checked.`,
              e.subject,
            ),
            ctx.rules,
          ),
    );
  }
}

function commandDecisions(
  parser: ShellParser,
  cmd: SimpleCommand,
  s: ShellStructure,
  ctx: PolicyContext,
  depth: number,
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
    if (u.appendsArgs && argv === u.argv && r.decisions.some((d) => d.rule === 'default:delete')) {
      mine.push(
        withOverride(
          decide('ask', 'default:dynamic-path', 'xargs adds file names only known at run time.', subject),
          ctx.rules,
        ),
      );
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
      ...codeDecisions(parser, { language, interpreter, code: null, from: 'arg' }, cmd, s, ctx, depth, out),
    );
  } else if (u.script !== undefined) {
    mine.push(shellPathCheck(u.script, false, cmd.cwd, ctx));
    files.executed.push({ path: resolveIn(u.script, cmd.cwd, ctx), shown: u.script, subject });
  }
  for (const code of u.code) {
    // xargs -I{} sh -c '{}': the code is whatever arrives on xargs' standard input.
    const viaXargs = u.replace !== undefined && code.code?.includes(u.replace);
    const effective: InlineCode = viaXargs ? { ...code, code: null, from: 'stdin' } : code;
    mine.push(...codeDecisions(parser, effective, cmd, s, ctx, depth, out));
  }
}

function codeDecisions(
  parser: ShellParser,
  code: InlineCode,
  cmd: SimpleCommand,
  s: ShellStructure,
  ctx: PolicyContext,
  depth: number,
  out: ShellFindings,
): PolicyDecision[] {
  const subject = cmd.text;
  let literal: string | null = code.code !== null && !code.code.includes(DYNAMIC) ? code.code : null;
  let sources: SimpleCommand[] = descendants(s, cmd.id);
  if (code.from === 'stdin') {
    literal = null;
    if (cmd.stdinLiteral !== undefined) literal = cmd.stdinLiteral;
    else if (cmd.pipeline && cmd.pipeline.stage > 0) {
      const earlier = s.commands.filter(
        (c) => c.pipeline?.id === cmd.pipeline!.id && c.pipeline.stage < cmd.pipeline!.stage,
      );
      sources = earlier.flatMap((c) => [c, ...descendants(s, c.id)]);
      if (
        sources.every((c) => LITERAL_SOURCES.has(c.argv[0] ?? '') && !c.argv.some((a) => a.includes(DYNAMIC)))
      ) {
        literal = earlier
          .map((c) =>
            c.argv
              .slice(1)
              .filter((a) => !/^-[neE]+$/.test(a))
              .join(' '),
          )
          .join('\n');
      }
    } else if (code.language === 'other' && cmd.argv.length > 1 && !cmd.argv.includes('-')) {
      return [];
    } else {
      return [
        withOverride(
          decide(
            'ask',
            'default:interactive-interpreter',
            `${code.interpreter} with no program reads commands interactively.`,
            subject,
          ),
          ctx.rules,
        ),
      ];
    }
  }
  if (sources.some(fetchesOrDecodes) && literal === null) {
    return [
      withOverride(
        decide(
          'deny',
          'default:download-exec',
          `${code.interpreter} would run code downloaded from the network or decoded from hidden data.`,
          subject,
        ),
        ctx.rules,
      ),
    ];
  }
  if (literal === null) {
    return [
      decide(
        'ask',
        'hard:dynamic-code',
        `${code.interpreter} runs code that is only known at run time.`,
        subject,
      ),
    ];
  }
  if (code.language === 'other') {
    return [
      withOverride(
        decide(
          'ask',
          'default:inline-code',
          `${code.interpreter} runs inline ${code.interpreter} code, which Ralex does not analyse.`,
          subject,
        ),
        ctx.rules,
      ),
    ];
  }
  const inner = analyzeShell(parser, literal, ctx, cmd.cwd, depth + 1);
  out.network ||= inner.network;
  out.secretRead ||= inner.secretRead;
  out.commands.push(...inner.commands);
  return inner.decisions;
}

/** Files written and files executed in one line, to catch "write a script, then run it". */
interface LineFiles {
  written: Set<string>;
  executed: { path: string; shown: string; subject: string }[];
}

function resolveIn(p: string, cwd: string | null, ctx: PolicyContext): string {
  const q = p === '~' || p.startsWith('~/') ? ctx.home + p.slice(1) : p;
  return resolve(cwd ?? ctx.projectRoot, q);
}

function descendants(s: ShellStructure, id: number): SimpleCommand[] {
  const found: SimpleCommand[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const c of s.commands) {
      if (c.parentId === parent) {
        found.push(c);
        queue.push(c.id);
      }
    }
  }
  return found;
}

function fetchesOrDecodes(c: SimpleCommand): boolean {
  const u = unwrapCommand(c.argv);
  return [c.argv, u.argv, ...u.extra].some(
    (a) => NETWORK_FETCHERS.has(baseName(a[0] ?? '')) || isDecoder(a) || (a[0] ?? '').includes(DYNAMIC),
  );
}
