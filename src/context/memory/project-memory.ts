import type { IndexQueries } from '../index/index-queries.js';
import type { Candidate } from '../pack/pack-context.js';
import type { HistoryCommit } from '../rank/git-history.js';
import { queryTerms } from '../rank/query-terms.js';
import { describeRelationships } from './file-relationships.js';
import { statedPreferences } from './learn-preferences.js';
import type { MemoryEntry, MemoryFileName } from './memory-entry.js';
import type { MemoryStore } from './memory-store.js';
import { describeProject } from './project-understanding.js';
import { isMemorablePath, secretIn } from './secret-guard.js';

/** A finished command, as the conversation history records it. */
export interface FinishedCommand {
  id: string;
  sessionId: string;
  text: string;
  intent: string | null;
  status: string;
  at: string;
  filesChanged: readonly string[];
  commit: string | null;
}

/** How much of the budget each memory file may take in a prompt. */
const MEMORY_SHARE = 0.08;
const FREQUENT_FILES = 10;

/** Learns from the project and the person, and offers what it remembers to the context by relevance. */
export interface ProjectMemory {
  store: MemoryStore;
  /** Learns the preferences a person stated in a command ("I prefer pytest", "remember that …"). */
  learnFromCommand(text: string, commandId: string, sessionId: string, at: Date): Promise<MemoryEntry[]>;
  /** Adds the outcome of finished commands to the conversation history (each once). */
  recordOutcomes(commands: readonly FinishedCommand[]): Promise<number>;
  /** Rewrites project_understanding.md and file_relationships.md when their facts changed (a person's edit is kept). */
  refreshGenerated(input: {
    root: string;
    queries: IndexQueries;
    history: readonly HistoryCommit[];
    testCommand?: string;
  }): Promise<void>;
  /** Memory as context candidates: each file's entries relevant to the request, scored and explained. */
  candidates(request: string, files: readonly string[]): Promise<Candidate[]>;
}

/** Wraps a memory store with learning and relevance. */
export function createProjectMemory(store: MemoryStore): ProjectMemory {
  return {
    store,
    async learnFromCommand(text, commandId, sessionId, at) {
      const learned: MemoryEntry[] = [];
      for (const pref of statedPreferences(text)) {
        const from = `said in command ${commandId} (session ${sessionId}) on ${at.toISOString().slice(0, 10)}: "${text.slice(0, 120)}"`;
        const r = await store.remember('user_patterns', pref, from);
        if (r.status === 'remembered') learned.push(r.entry);
      }
      return learned;
    },
    async recordOutcomes(commands) {
      const known = new Set((await store.list('conversation_history')).map((e) => e.from));
      let added = 0;
      for (const c of commands) {
        const from = `command ${c.id} in session ${c.sessionId}`;
        if (known.has(from)) continue;
        // A command that gave a secret ("set API_KEY=…") is recorded without its words.
        const said = secretIn(c.text)
          ? '(a command with a credential, not recorded)'
          : `"${c.text.slice(0, 160)}"`;
        const changed = c.filesChanged.filter(isMemorablePath);
        const text = `${c.at.slice(0, 10)} ${c.intent ?? 'command'} ${said} → ${c.status}${changed.length ? `, changed ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}` : ''}${c.commit ? ` (commit ${c.commit.slice(0, 10)})` : ''}`;
        const r = await store.remember('conversation_history', text, from);
        if (r.status === 'remembered') added++;
      }
      return added;
    },
    async refreshGenerated({ root, queries, history, testCommand }) {
      const paths = queries.allPaths().filter(isMemorablePath);
      await store.writeGenerated('project_understanding', describeProject(root, paths, testCommand));
      const frequency = new Map<string, number>();
      for (const c of history) for (const f of c.files) frequency.set(f, (frequency.get(f) ?? 0) + 1);
      const frequent = [...frequency].sort((a, b) => b[1] - a[1]).slice(0, FREQUENT_FILES * 3);
      const uses: { from: string; to: string[] }[] = [];
      for (const [path] of frequent) {
        const file = queries.file(path);
        if (!file || uses.length >= FREQUENT_FILES) continue;
        const to = [...queries.referencedFiles(file.id)]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([id]) => queries.fileById(id)?.path)
          .filter((p): p is string => Boolean(p));
        if (to.length) uses.push({ from: path, to });
      }
      await store.writeGenerated('file_relationships', describeRelationships(history, uses));
    },
    async candidates(request, files) {
      const terms = new Set(queryTerms(request));
      const out: Candidate[] = [];
      const score = (e: MemoryEntry) => {
        const words = queryTerms(e.text);
        const overlap = words.filter((w) => terms.has(w)).length;
        const named = files.some((f) => e.text.includes(f)) ? 2 : 0;
        return overlap / Math.sqrt(Math.max(1, words.length)) + named;
      };
      const pick = (
        file: MemoryFileName,
        entries: MemoryEntry[],
        base: number,
        minimum: number,
        why: string,
      ) => {
        const scored = entries.map((e) => ({ e, s: score(e) })).filter((x) => base > 0 || x.s >= minimum);
        if (scored.length === 0) return;
        scored.sort((a, b) => b.s - a.s);
        const best = scored[0]!.s;
        const relevant = scored.filter((x) => x.s > 0).length;
        out.push({
          kind: 'memory',
          ref: `.ralex/context/${file}.md`,
          content: scored.map((x) => `- ${x.e.text}`).join('\n'),
          score: base + 4 * best,
          reasons: [`${why}${relevant ? ` (${relevant} of ${entries.length} match the request)` : ''}`],
          maxShare: MEMORY_SHARE,
        });
      };
      const all = await store.list();
      const of = (f: MemoryFileName) => all.filter((e) => e.file === f);
      // Preferences apply to every request: all of them come, the matching ones first.
      pick('user_patterns', of('user_patterns'), 8, 0, 'preferences you stated or Ralex learned');
      pick('conversation_history', of('conversation_history'), 0, 0.5, 'past commands about the same things');
      pick('file_relationships', of('file_relationships'), 0, 0.5, 'how the files in question relate');
      const understanding = await store.read('project_understanding');
      if (understanding?.trim()) {
        out.push({
          kind: 'memory',
          ref: '.ralex/context/project_understanding.md',
          content: understanding.replace(/<!--[\s\S]*?-->\n?/g, '').trim(),
          score: 7,
          reasons: ['what Ralex knows of the project: languages, layout, how to test'],
          maxShare: MEMORY_SHARE,
        });
      }
      return out;
    },
  };
}
