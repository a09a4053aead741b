import type { PolicyContext } from '../compiled-rules.js';
import { decide, type PolicyDecision } from '../decision.js';
import { withOverride } from '../security-rules.js';
import { descendants, fetchesOrDecodes } from './code-sources.js';
import { literalOutput } from './literal-output.js';
import type { AnalyzeNested, ShellFindings } from './shell-findings.js';
import type { ShellStructure, SimpleCommand } from './simple-command.js';
import type { InlineCode } from './unwrap-command.js';
import { DYNAMIC } from './word-value.js';

/**
 * What the earlier stages of `cmd`'s pipeline write to it when they are all `echo`/`printf` of
 * literal words (escapes decoded, as the programs do), or null.
 */
export function pipedLiteral(cmd: SimpleCommand, s: ShellStructure): string | null {
  if (!cmd.pipeline || cmd.pipeline.stage === 0) return null;
  const { id, stage } = cmd.pipeline;
  const earlier = s.commands.filter((c) => c.pipeline?.id === id && c.pipeline.stage < stage);
  if (earlier.some((c) => descendants(s, c.id).length > 0)) return null;
  const printed = earlier.map((c) => literalOutput(c.argv));
  return printed.every((p) => p !== null) ? printed.join('\n') : null;
}

/**
 * Decides code an interpreter runs: literal shell code is analysed again (one level deeper);
 * code on stdin comes from a here-doc, a here-string or the earlier stages of the pipeline;
 * code from the network or from decoding is denied; other languages and run-time code are asked.
 */
export function codeDecisions(
  code: InlineCode,
  cmd: SimpleCommand,
  s: ShellStructure,
  ctx: PolicyContext,
  analyze: AnalyzeNested,
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
      literal = pipedLiteral(cmd, s);
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
  const inner = analyze(literal, cmd.cwd);
  out.network ||= inner.network;
  out.secretRead ||= inner.secretRead;
  out.commands.push(...inner.commands);
  return inner.decisions;
}
