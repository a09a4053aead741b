import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runtime } from '../runtime.js';
import type { CommandRun } from './command-run.js';
import type { ParsedCommand } from './parsed-command.js';

/** One piece of context with where it came from and its estimated size. */
export interface ContextItem {
  kind: 'instructions' | 'file' | 'session';
  ref: string;
  content: string;
  tokens: number;
}

/** The context stage's output: what goes with the request, within a token budget. */
export interface ContextPackage {
  items: ContextItem[];
  tokens: number;
  budget: number;
  /** Items left out because the budget was spent. */
  omitted: string[];
}

/** Project instruction files read when present, most specific first. */
const INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md', '.ralex/context/project_understanding.md'];
const RECENT_COMMANDS = 5;
const MIN_PARTIAL_TOKENS = 400;

/** A rough token estimate (4 characters a token), good enough for budgeting. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * The context stage: project instructions (AGENTS.md / CLAUDE.md), the session so far, and the
 * files the command refers to — packed in that order of priority until the budget is spent.
 */
export async function gatherContext(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
): Promise<ContextPackage> {
  const budget = rt.config.preferences.context.max_tokens;
  const candidates: ContextItem[] = [];
  for (const ref of INSTRUCTION_FILES) {
    const content = await readFile(join(rt.root, ref), 'utf8').catch(() => null);
    if (content?.trim()) candidates.push(item('instructions', ref, content));
  }
  const history = rt.commands
    .listBySession(run.sessionId, RECENT_COMMANDS + 1)
    .filter((c) => c.id !== run.id && c.result)
    .reverse()
    .map(
      (c) => `User: ${c.text}\nRalex: ${String((c.result as { reply?: string }).reply ?? '').slice(0, 600)}`,
    );
  if (history.length) candidates.push(item('session', run.sessionId, history.join('\n\n')));
  for (const file of parsed.files) {
    if (rt.policy.checkPath(file, { write: false }).decision !== 'allow') continue;
    const content = await readFile(join(rt.root, file), 'utf8').catch(() => null);
    if (content !== null && !content.includes('\u0000')) candidates.push(item('file', file, content));
  }
  const items: ContextItem[] = [];
  const omitted: string[] = [];
  let tokens = 0;
  for (const c of candidates) {
    const room = budget - tokens;
    if (c.tokens <= room) {
      items.push(c);
      tokens += c.tokens;
    } else if (room >= MIN_PARTIAL_TOKENS) {
      // A large file is cut rather than dropped: its head is usually what matters, and the
      // agent can read on with read_file.
      const cut = item(
        c.kind,
        c.ref,
        `${c.content.slice(0, room * 4 - 80)}\n… (cut to fit the context budget)`,
      );
      items.push(cut);
      tokens += cut.tokens;
    } else {
      omitted.push(c.ref);
    }
  }
  return { items, tokens, budget, omitted };
}

function item(kind: ContextItem['kind'], ref: string, content: string): ContextItem {
  return { kind, ref, content, tokens: estimateTokens(content) };
}
