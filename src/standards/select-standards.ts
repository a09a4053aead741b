import picomatch from 'picomatch';
import { queryTerms } from '../context/rank/query-terms.js';
import { LANGUAGE_NAMES, type RequestProfile, type StandardsRequest } from './request-profile.js';
import type { SelectedStandard, Standard } from './standard.js';

/** A standard left out, and why (for `ralex standards`). */
export interface SkippedStandard {
  id: string;
  source: string;
  reason: string;
}

/** Standards chosen for a request, best first, and those considered and left out. */
export interface StandardsSelection {
  selected: SelectedStandard[];
  skipped: SkippedStandard[];
}

/** Complexity from which testing and error-handling standards come with a change. */
export const COMPLEX = 6;
const MAX_SELECTED = 8;
const MIN_SCORE = 2;
const WRITES_CODE = new Set(['fix_bug', 'implement', 'refactor', 'test']);
const READS_ONLY = new Set(['explain', 'question']);
const ORIGIN_WORDS: Record<Standard['origin'], string> = {
  builtin: "Ralex's default",
  ralex: "the project's .ralex/standards",
  'agent-os-v1': 'Agent OS v1',
  'agent-os-v2': 'Agent OS v2',
  'agent-os-v3': 'Agent OS v3',
  'claude-rules': 'a Claude rule',
  'claude-import': 'imported by CLAUDE.md',
};

/**
 * Chooses the standards for a request. A standard scoped to languages, frameworks, paths or
 * intents applies only when the request has them; topics add weight: testing and error handling
 * at complexity ≥ 6 (testing also for a test request), security for a security-sensitive request;
 * words of the request and the person's preferences that match its title or description add more.
 * Ralex's defaults give way to the project's or the user's standard on the same language or topic.
 */
export function selectStandards(
  all: readonly Standard[],
  req: StandardsRequest,
  profile: RequestProfile,
): StandardsSelection {
  const scored: SelectedStandard[] = [];
  const skipped: SkippedStandard[] = [];
  const skip = (s: Standard, reason: string) => skipped.push({ id: s.id, source: s.source, reason });
  const prefs = req.preferences.map((p) => ({ text: p, words: new Set(queryTerms(p)) }));
  const requestTerms = new Set(queryTerms(req.request));
  for (const s of all) {
    const reasons: string[] = [];
    let score = 0;
    if (s.paths.length) {
      const match = picomatch(s.paths, { dot: true });
      const hit = req.files.find((f) => match(f));
      if (!hit) {
        skip(s, `scoped to ${s.paths.join(', ')}; no file in play matches`);
        continue;
      }
      score += 6;
      reasons.push(`applies to ${hit} (paths: ${s.paths.join(', ')})`);
    } else if (s.always) {
      score += 6;
      reasons.push(`applies to every request (${ORIGIN_WORDS[s.origin]}: ${s.source})`);
    }
    if (s.languages.length) {
      const langs = s.languages.filter(
        (l) =>
          profile.languages.has(l) ||
          (l === 'javascript' && s.origin !== 'builtin' && profile.languages.has('typescript')),
      );
      if (!langs.length) {
        skip(
          s,
          `for ${s.languages.map(nameOf).join(', ')}; the request is about ${[...profile.languages.keys()].map(nameOf).join(', ') || 'no known language'}`,
        );
        continue;
      }
      score += 4;
      const l = langs[0]!;
      const files = profile.languages.get(l) ?? profile.languages.get('typescript') ?? [];
      reasons.push(`for ${nameOf(l)}: ${files.slice(0, 3).join(', ')}`);
    }
    if (s.frameworks.length) {
      const fw = s.frameworks.find((f) => profile.frameworks.has(f));
      if (!fw) {
        skip(s, `for ${s.frameworks.join(', ')}, which the project's manifests do not declare`);
        continue;
      }
      score += 4;
      reasons.push(`for ${fw} (declared in ${profile.frameworks.get(fw)})`);
    }
    if (s.intents.length) {
      if (!s.intents.includes(req.intent)) {
        skip(s, `for ${s.intents.join(', ')} requests; this one is ${req.intent}`);
        continue;
      }
      score += 2;
      reasons.push(`for ${req.intent} requests`);
    }
    const topic = topicScore(s, req, profile);
    // The folders a standard sits in name its domain (Agent OS v3: `parser/`, `storage-engine/`).
    const folders = s.id
      .slice(s.id.indexOf(':') + 1)
      .split('/')
      .slice(0, -1)
      .filter((f) => !f.startsWith('.'));
    const words = new Set(
      queryTerms(
        `${s.title} ${s.description} ${s.topics.join(' ')} ${s.frameworks.join(' ')} ${folders.join(' ')}`,
      ),
    );
    const matched = [...profile.terms].filter((t) => words.has(t)).slice(0, 3);
    // The request's own words are stronger evidence than the names of the files ranked for it.
    const said = matched.filter((t) => requestTerms.has(t));
    const named = matched.filter((t) => !requestTerms.has(t));
    // Testing, error-handling and security standards wait for a request that calls for them;
    // a project's own one still comes when something else of the request points at it.
    if (topic.waiting && (s.origin === 'builtin' || (score === 0 && !matched.length))) {
      skip(s, topicSkip(s));
      continue;
    }
    score += topic.score;
    reasons.push(...topic.reasons);
    if (said.length) {
      score += 1.5 * said.length;
      reasons.push(`matches the request: ${said.join(', ')}`);
    }
    if (named.length) {
      score += named.length;
      reasons.push(`matches the files in play: ${named.join(', ')}`);
    }
    for (const p of prefs) {
      const shared = [...p.words].filter(
        (w) => words.has(w) || s.languages.includes(w) || s.frameworks.includes(w),
      );
      if (shared.length) {
        score += 2;
        reasons.push(`your preference: "${p.text.slice(0, 100)}"`);
        break;
      }
    }
    // Only a standard with nothing to match on, at the top of its folder, is general: one in a
    // domain folder or on a topic (backend, api, database) waits for the request to point at it.
    const untagged = !s.languages.length && !s.frameworks.length && !s.topics.length && !s.intents.length;
    if (
      reasons.length === 0 &&
      untagged &&
      folders.length === 0 &&
      WRITES_CODE.has(req.intent) &&
      s.origin !== 'builtin'
    ) {
      score += 2;
      reasons.push(`a general standard of the project (${ORIGIN_WORDS[s.origin]}: ${s.source})`);
    }
    if (READS_ONLY.has(req.intent) && !s.always && !matched.length) {
      skip(
        s,
        `a standard for writing code; a ${req.intent} request writes none and its words do not match it`,
      );
      continue;
    }
    if (score < MIN_SCORE) {
      skip(s, 'nothing of the request points at it');
      continue;
    }
    scored.push({ standard: s, score: Math.round(score * 10) / 10, reasons });
  }
  const own = scored.filter((x) => x.standard.origin !== 'builtin');
  const kept = scored.filter((x) => {
    if (x.standard.origin !== 'builtin') return true;
    const s = x.standard;
    const cover = own.find(
      (o) =>
        s.languages.some((l) => o.standard.languages.includes(l)) ||
        (s.topics.length > 0 && s.topics.every((t) => o.standard.topics.includes(t)) && !s.languages.length),
    );
    // The TypeScript default covers what the JavaScript one says, for a TypeScript file.
    const ts =
      s.id === 'builtin:javascript' && scored.some((o) => o.standard.languages.includes('typescript'));
    if (cover || ts) {
      skip(s, cover ? `${cover.standard.source} covers it` : 'the TypeScript standard covers it');
      return false;
    }
    return true;
  });
  kept.sort((a, b) => b.score - a.score || (a.standard.id < b.standard.id ? -1 : 1));
  for (const x of kept.slice(MAX_SELECTED)) skip(x.standard, `below the ${MAX_SELECTED} best`);
  return { selected: kept.slice(0, MAX_SELECTED), skipped };
}

/** Topics that apply only when the request calls for them. */
const CONDITIONAL = new Set(['testing', 'error-handling', 'security']);

/**
 * What a standard's topics add. `waiting` is true when it is about testing, error handling or
 * security and this request calls for none of them.
 */
function topicScore(
  s: Standard,
  req: StandardsRequest,
  profile: RequestProfile,
): { score: number; reasons: string[]; waiting: boolean } {
  let score = 0;
  const reasons: string[] = [];
  let conditional = 0;
  let triggered = 0;
  for (const t of s.topics) {
    if (CONDITIONAL.has(t)) conditional++;
    if (t === 'testing') {
      if (req.intent === 'test') {
        triggered++;
        score += 4;
        reasons.push('the request is about tests');
      } else if (req.complexity >= COMPLEX && WRITES_CODE.has(req.intent)) {
        triggered++;
        score += 3;
        reasons.push(`complexity ${req.complexity} of 10: a change this size needs tests`);
      }
    } else if (t === 'error-handling') {
      if (req.complexity >= COMPLEX && WRITES_CODE.has(req.intent)) {
        triggered++;
        score += 3;
        reasons.push(`complexity ${req.complexity} of 10: error handling matters`);
      }
    } else if (t === 'security') {
      if (profile.security.length) {
        triggered++;
        score += 4;
        reasons.push(`security-sensitive: ${profile.security.slice(0, 3).join(', ')}`);
      }
    } else if ((t === 'style' || t === 'global') && WRITES_CODE.has(req.intent) && score === 0) {
      score += 2;
      reasons.push(`how code is written here (${ORIGIN_WORDS[s.origin]})`);
    }
  }
  return { score, reasons, waiting: conditional > 0 && triggered === 0 };
}

function topicSkip(s: Standard): string {
  if (s.topics.includes('security')) return 'for security-sensitive requests; nothing in this one is';
  return `for complex changes (complexity ${COMPLEX} or more) and test requests`;
}

function nameOf(language: string): string {
  return LANGUAGE_NAMES[language] ?? language;
}
