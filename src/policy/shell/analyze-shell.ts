import type { PolicyContext } from '../compiled-rules.js';
import { decide, type PolicyDecision, strictest } from '../decision.js';
import { withOverride } from '../security-rules.js';
import { envDecisions } from './classify-invocation.js';
import { fetchesOrDecodes } from './code-sources.js';
import { commandDecisions, type LineFiles, resolveIn } from './command-decisions.js';
import { environmentCode } from './embedded-code.js';
import { extractCommands } from './extract-commands.js';
import type { AnalyzeNested, ShellFindings } from './shell-findings.js';
import type { ShellParser } from './shell-parser.js';
import { shellPathCheck } from './shell-path-check.js';
import type { ShellStructure } from './simple-command.js';
import { DYNAMIC } from './word-value.js';

export type { ShellCommandReport, ShellFindings } from './shell-findings.js';

const MAX_DEPTH = 4;
/** Beyond this many simple commands in one line, Ralex asks instead of analysing each. */
const MAX_COMMANDS = 400;
/** A line that may assign a variable or loop over a list. */
const ASSIGNS = /\bfor\s|(^|[\s;&|({`])[A-Za-z_][A-Za-z0-9_]*=/;

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
  // Once more with literal assignments and `for` lists taken as the values of their variables
  // (`F=/dev/tcp/h/80; cat < $F`, `for d in / ~; do rm -rf $d; done`): it can only add decisions.
  if (ASSIGNS.test(source)) analyzeOne(parser, source, ctx, cwd, depth, out, true);
  if (out.secretRead && out.network) {
    // First, so that among equal denials this, the most telling reason, is the one shown.
    out.decisions.unshift(
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
  assumeAssignments = false,
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
    structure = extractCommands(tree.rootNode, cwd ?? ctx.projectRoot, ctx.home, { assumeAssignments });
  } finally {
    tree.delete();
  }
  if (structure.commands.length > MAX_COMMANDS) {
    out.decisions.push(
      decide(
        'ask',
        'hard:too-complex',
        `The line holds more than ${MAX_COMMANDS} commands; it is not analysed one by one.`,
        source,
      ),
    );
    return;
  }
  if (cwd === null) for (const c of structure.commands) c.cwd = null;
  for (const p of structure.problems)
    out.decisions.push(withOverride(decide(p.decision, p.rule, p.reason, source), ctx.rules));
  out.decisions.push(...envDecisions(structure.assignments, ctx, source));
  for (const code of environmentCode(structure.assignments)) {
    // `export PROMPT_COMMAND='…'`: the value runs later, as shell code.
    if (code.code === null || code.code.includes(DYNAMIC)) continue;
    const inner = analyzeShell(parser, code.code, ctx, cwd, depth + 1);
    out.decisions.push(...inner.decisions.filter((d) => d.decision !== 'allow'));
    out.network ||= inner.network;
    out.secretRead ||= inner.secretRead;
  }
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
  const analyze: AnalyzeNested = (code, dir) => analyzeShell(parser, code, ctx, dir, depth + 1);
  const files: LineFiles = { written: new Set(), executed: [] };
  const lastStage = new Map<number, number>();
  for (const c of structure.commands) {
    if (c.pipeline)
      lastStage.set(c.pipeline.id, Math.max(lastStage.get(c.pipeline.id) ?? 0, c.pipeline.stage));
  }
  for (const cmd of structure.commands) {
    const mine: PolicyDecision[] = [];
    commandDecisions(cmd, structure, ctx, analyze, mine, out, files);
    // A secret read whose output feeds another command (`$(cat .env)`, `cat .env | x`) is denied.
    const feeds =
      cmd.parentId !== undefined ||
      (cmd.pipeline !== undefined && cmd.pipeline.stage < (lastStage.get(cmd.pipeline.id) ?? 0));
    if (feeds && mine.some((d) => d.rule === 'default:secret-read')) {
      mine.push(
        withOverride(
          decide(
            'deny',
            'default:secret-into-command',
            'The command reads secrets and passes them to another command.',
            cmd.text,
          ),
          ctx.rules,
        ),
      );
    }
    const verdict = strictest(mine, decide('allow', 'default:no-op', 'Nothing runs.', cmd.text));
    if (!assumeAssignments)
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
