import { isDirectIntent, type ParsedCommand } from '../../command/parsed-command.js';
import { detectAutoSubmit } from './auto-submit.js';
import { estimateComplexity } from './complexity.js';
import { createFileMatcher, type FileMatcher } from './file-matcher.js';
import { dropHesitations } from './fillers.js';
import { classifyIntent } from './intents.js';
import { type LocatedMention, resolveDirectory, resolveMentions } from './resolve-files.js';
import { joinTokens, makeToken, type Token, tokenize } from './tokens.js';

/** What `parseCommand` resolves file names against: the project's files, or a matcher built from them. */
export type ParseOptions = { files: readonly string[]; matcher?: FileMatcher } | { matcher: FileMatcher };

const matchers = new WeakMap<readonly string[], FileMatcher>();

/** The matcher for a file list, built once per list (the same array object) and reused. */
function matcherFor(opts: ParseOptions): FileMatcher {
  if (opts.matcher) return opts.matcher;
  const files = (opts as { files: readonly string[] }).files;
  let matcher = matchers.get(files);
  if (!matcher) {
    matcher = createFileMatcher(files);
    matchers.set(files, matcher);
  }
  return matcher;
}

/** The request with each resolved mention replaced by its path (punctuation after it kept). */
function withPaths(tokens: readonly Token[], mentions: readonly LocatedMention[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (const { start, end, mention, kind } of mentions) {
    out.push(...tokens.slice(i, start));
    const last = tokens[end - 1]!;
    if (mention.resolved && kind !== 'identifier') {
      const tail = /["'`)\]}>”’]*[,;:!?.…]*$/.exec(last.raw)?.[0] ?? '';
      out.push(makeToken(mention.resolved + tail.replace(/^["'`)\]}>”’]+/, ''), last.pause));
    } else out.push(...tokens.slice(start, end));
    i = end;
  }
  out.push(...tokens.slice(i));
  return out;
}

/**
 * Parses one command's text: strips the auto-submit ending, drops fillers and false starts,
 * resolves spoken and typed file names against the project, classifies the intent and
 * estimates complexity. Pure; pass the same `files` array (or a `createFileMatcher` result)
 * on every call so the index is built once.
 */
export function parseCommand(text: string, opts: ParseOptions): ParsedCommand {
  const matcher = matcherFor(opts);
  const { body, trigger, tokens: cleaned } = detectAutoSubmit(text);
  let tokens = cleaned;
  // Only fillers ("okay"): they are the command.
  if (tokens.length === 0) tokens = dropHesitations(tokenize(body));

  let located = resolveMentions(tokens, matcher);
  let request = joinTokens(withPaths(tokens, located));
  let { intent, args } = classifyIntent(request, { hasFile: located.length > 0 });
  if (intent === 'commit' && located.length > 0) {
    // A commit message is dictation, not a file reference: keep its words as said.
    located = [];
    request = joinTokens(tokens);
    ({ intent, args } = classifyIntent(request, { hasFile: false }));
  }
  const mentions = located.map((m) => m.mention);
  const files = [...new Set(mentions.flatMap((m) => (m.resolved ? [m.resolved] : [])))];

  if (intent === 'list_files' && args.path) {
    const dir = resolveDirectory(args.path.split(' '), matcher)[0];
    if (dir) args.path = dir;
  }
  if (intent === 'run_tests' && args.filter && files.length > 0) args.filter = files[0]!;

  return {
    text,
    request,
    intent,
    direct: isDirectIntent(intent),
    files,
    mentions,
    autoSubmit: trigger !== null,
    trigger,
    complexity: estimateComplexity({ intent, request, fileCount: files.length }),
    args,
  };
}
