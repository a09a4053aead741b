import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readGuarded } from '../project/guarded-read.js';
import type { ContextPackage } from './context-package.js';
import { isCorruptionError } from './index/index-database.js';
import type { ProjectIndex } from './index/project-index.js';
import { indexTokenCounts } from './index/token-counts.js';
import type { Candidate } from './pack/pack-context.js';
import { packContext } from './pack/pack-context.js';
import { createTokenCounter, type TokenCounter } from './pack/tokenizer.js';
import { projectDiff } from './project-diff.js';
import { recentHistory } from './rank/git-history.js';
import { rankFiles } from './rank/rank-files.js';
import { symbolRank } from './rank/symbol-graph.js';

/** What the context is for: the command as parsed, the session so far, and the budget. */
export interface ContextRequest {
  /** The request as parsed (spoken file names replaced by paths). */
  request: string;
  intent: string;
  files: readonly string[];
  /** Of `files`, those named by a bare word only ("connection"), not a file name as such. */
  looselyNamed?: readonly string[];
  /** Paths an unclear file mention could mean. */
  candidates: readonly string[];
  budget: number;
  session: {
    /** Earlier commands of the session, oldest first. */
    commands: readonly { text: string; reply: string }[];
    /** Files they named or changed, with how many commands ago (0 = the last). */
    files: readonly { path: string; age: number }[];
  };
  /** Output of failing tests, when known (from this session's last test run). */
  failingOutput?: string;
  /** 1–10, from the parse stage (standards for testing and error handling come at 6 and above). */
  complexity?: number;
}

/** What standards and docs are chosen from: the request, the files in play, the budget, the tokenizer. */
export interface GuidanceInput {
  request: string;
  intent: string;
  complexity: number;
  /** The files the command names (weight 2), then the best ranked (1 down to 0.2). */
  files: { path: string; weight: number; named: boolean }[];
  /** The best ranked file's score (0 when none): guidance that only serves the code ranks below it. */
  topScore: number;
  budget: number;
  count: TokenCounter;
}

/** Standards or docs as context candidates, with notes on what was refused or could not be had. */
export interface GuidanceOutput {
  candidates: Candidate[];
  notes: string[];
}

/** Where the context comes from: the project, its index, and what the policy lets be read. */
export interface ContextSources {
  root: string;
  index: ProjectIndex;
  /** Whether the policy allows reading a project path (secrets never enter the prompt). */
  canRead(path: string): boolean;
  /** Token counts (default: exact, remembered in the index so a warm command never loads the tokenizer). */
  count?: TokenCounter;
  /** Memory items (`.ralex/context/`), already scored for this request. */
  memory?(request: ContextRequest): Promise<Candidate[]>;
  /** Coding standards for the request (`src/standards`), sized to their share of the budget. */
  standards?(input: GuidanceInput): Promise<GuidanceOutput>;
  /** Library docs for the installed versions (`src/docs`), sized to their share of the budget. */
  docs?(input: GuidanceInput): Promise<GuidanceOutput>;
}

/** Project instruction files, most specific first. */
const INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md'];
const REPLY_CHARS = 600;
const TEST_OUTPUT_CHARS = 6_000;
/** Ranked files packing can use at most (whole, in parts, in the map, or listed as left out). */
const MAX_PACKABLE = 100;

/**
 * Builds the context package for a command: brings the index up to date (only what changed),
 * ranks the project's files from every signal, and packs instructions, the session, the diff
 * (review), failing test output (fix), memory and the best files within the token budget.
 */
export async function buildContext(req: ContextRequest, src: ContextSources): Promise<ContextPackage> {
  const timings: Record<string, number> = {};
  const notes: string[] = [];
  const lap = (name: string, t0: number) => {
    timings[name] = Math.round((performance.now() - t0) * 100) / 100;
  };
  let t = performance.now();
  const update = await src.index.update();
  if (update.rebuilt) notes.push(`The context index was rebuilt: ${update.rebuilt}.`);
  if (update.unreadable) notes.push(`${update.unreadable} files could not be read and were skipped.`);
  if (update.leftOut)
    notes.push(
      `The context index holds its most of ${update.files} files and left out ${update.leftOut} more: ranking and search do not see them.`,
    );
  lap('index', t);

  t = performance.now();
  const candidates: Candidate[] = [];
  const diff = req.intent === 'review' ? await projectDiff(src.root, src.canRead) : null;
  const [history, instructions, memory] = await Promise.all([
    recentHistory(src.root, src.index.db()).catch(() => []),
    readInstructions(src),
    src.memory ? src.memory(req) : Promise.resolve([]),
  ]);
  candidates.push(...instructions, ...memory);
  if (diff?.text) {
    candidates.push({
      kind: 'diff',
      ref: `git diff (${diff.source})`,
      content: diff.text,
      score: 40,
      reasons: [`the change under review: ${diff.source}, ${diff.files.length} files`],
      maxShare: 0.45,
    });
  }
  if (req.failingOutput?.trim()) {
    candidates.push({
      kind: 'tests',
      ref: 'failing tests',
      content: req.failingOutput.slice(-TEST_OUTPUT_CHARS),
      score: 45,
      reasons: ['the output of the failing tests'],
      maxShare: 0.2,
    });
  }
  if (req.session.commands.length) {
    candidates.push({
      kind: 'session',
      ref: 'this session',
      content: req.session.commands
        .map((c) => `User: ${c.text}\nRalex: ${c.reply.slice(0, REPLY_CHARS)}`)
        .join('\n\n'),
      score: 12,
      reasons: [`the last ${req.session.commands.length} commands of this session`],
      maxShare: 0.15,
    });
  }
  lap('sources', t);

  t = performance.now();
  const rank = () =>
    rankFiles(
      src.index.queries(),
      history,
      {
        request: req.request,
        intent: req.intent,
        files: req.files,
        looselyNamed: req.looselyNamed,
        candidates: req.candidates,
        session: req.session.files,
        diffFiles: diff?.files ?? [],
        failingOutput: req.failingOutput,
      },
      src.root,
    );
  // The policy decides per path (secrets never enter the prompt, not even as a name); only the
  // files packing can use are asked about.
  const readable = (list: ReturnType<typeof rankFiles>) =>
    list.slice(0, MAX_PACKABLE).filter((r) => src.canRead(r.file.path));
  let ranked: ReturnType<typeof rank>;
  try {
    ranked = readable(rank());
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    src.index.rebuild(`the index was damaged (${(error as Error).message})`);
    notes.push('The context index was damaged and has been rebuilt.');
    await src.index.update();
    ranked = readable(rank());
  }
  lap('rank', t);

  const count = src.count ?? createTokenCounter(indexTokenCounts(() => src.index.db()));
  const guidance: GuidanceInput = {
    request: req.request,
    intent: req.intent,
    complexity: req.complexity ?? 1,
    files: filesInPlay(req.files, ranked),
    topScore: ranked[0]?.score ?? 0,
    budget: req.budget,
    count,
  };
  const [standards, docs] = await Promise.all([
    guide('standards', src.standards, guidance, timings),
    guide('docs', src.docs, guidance, timings),
  ]);
  candidates.push(...standards.candidates, ...docs.candidates);
  notes.push(...standards.notes, ...docs.notes);
  t = performance.now();
  const q = src.index.queries();
  // A file already in as the instructions or a standard (AGENTS.md, .claude/rules/*.md) is not packed twice.
  const carried = new Set(candidates.map((c) => c.ref));
  const packed = await packContext({
    budget: req.budget,
    candidates,
    files: ranked.filter((r) => !carried.has(r.file.path)),
    readFile: (path) =>
      src.canRead(path) ? readFile(join(src.root, path), 'utf8').catch(() => null) : Promise.resolve(null),
    definitionsIn: (id) => q.definitionsIn(id),
    mapFiles: (packedFiles) => {
      // Personalised PageRank from the packed files: what they use and what uses them (Aider's repo map idea).
      const seeds = new Map(packedFiles.map((f) => [f.file.id, f.score]));
      if (seeds.size === 0) return [];
      return [...symbolRank(q, seeds)]
        .sort((a, b) => b[1].rank - a[1].rank)
        .slice(0, 20)
        .flatMap(([id, g]) => {
          const file = q.fileById(id);
          if (!file || !src.canRead(file.path)) return [];
          const from = q.fileById(g.via)?.path ?? '';
          return [{ file, score: 0, reason: `linked by symbols to ${from}` }];
        });
    },
    count,
    rememberTokens: (id, n) => q.setTokens(id, n),
  });
  lap('pack', t);
  const counts = q.counts();
  return {
    items: packed.items,
    tokens: packed.tokens,
    budget: req.budget,
    omitted: packed.omitted,
    stats: {
      files: counts.files,
      indexed: counts.indexed,
      updatedFiles: update.updated + update.removed,
      rebuilt: update.rebuilt !== null,
      timings,
      notes,
    },
  };
}

/** Files in play for standards and docs: those the command names, then up to five of the best ranked. */
function filesInPlay(named: readonly string[], ranked: readonly { file: { path: string }; score: number }[]) {
  const out = named.map((path) => ({ path, weight: 2, named: true }));
  const best = ranked[0]?.score ?? 0;
  for (const r of ranked.slice(0, 8)) {
    if (out.length >= named.length + 5 || r.score < best * 0.3) break;
    if (!out.some((f) => f.path === r.file.path))
      out.push({
        path: r.file.path,
        weight: Math.max(0.2, 1 - 0.2 * (out.length - named.length)),
        named: false,
      });
  }
  return out;
}

/** Runs one guidance source, timed; a failure becomes a note, never a failed command. */
async function guide(
  name: 'standards' | 'docs',
  source: ((input: GuidanceInput) => Promise<GuidanceOutput>) | undefined,
  input: GuidanceInput,
  timings: Record<string, number>,
): Promise<GuidanceOutput> {
  if (!source) return { candidates: [], notes: [] };
  const t0 = performance.now();
  try {
    return await source(input);
  } catch (error) {
    return { candidates: [], notes: [`The ${name} could not be gathered: ${(error as Error).message}`] };
  } finally {
    timings[name] = Math.round((performance.now() - t0) * 100) / 100;
  }
}

/** How much of an instructions file (AGENTS.md, CLAUDE.md) goes in, as for CLAUDE.md imports. */
const INSTRUCTIONS_MAX_BYTES = 48 * 1024;

async function readInstructions(src: ContextSources): Promise<Candidate[]> {
  const out: Candidate[] = [];
  // The policy's call, as for every file: an AGENTS.md that is a symlink out of the project or to a secret is not read;
  // a FIFO or device is refused, and a huge one is cut, saying so.
  const reads = await Promise.all(
    INSTRUCTION_FILES.map((ref) =>
      readGuarded(ref, { root: src.root, canRead: src.canRead, outside: [] }, INSTRUCTIONS_MAX_BYTES),
    ),
  );
  for (const [i, ref] of INSTRUCTION_FILES.entries()) {
    const read = reads[i]!;
    if (!read.ok) continue;
    const content = read.cut
      ? `${read.text}\n… (the rest of ${ref} is left out: over ${INSTRUCTIONS_MAX_BYTES / 1024} KiB)`
      : read.text;
    if (content.trim())
      out.push({
        kind: 'instructions',
        ref,
        content,
        score: 100,
        reasons: ["the project's instructions for agents"],
        maxShare: 0.25,
      });
  }
  return out;
}
