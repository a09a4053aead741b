import type { DocSection, DocsQuery, Library } from './library.js';

/** A section with how well it fits the request and why. */
export interface RankedSection {
  section: DocSection;
  score: number;
  why: string[];
}

/** Words that mark a section about traps: what a fix wants besides the API. */
const PITFALLS =
  /\b(caveat|pitfall|gotcha|warning|note|known issue|breaking|deprecat\w*|troubleshoot\w*|faq|strict|invalid|time ?zone|utc|edge case|limitation)s?\b/i;
/** Words that mark an overview: what an explanation wants. */
const OVERVIEW =
  /\b(overview|introduction|getting started|usage|quick ?start|concepts?|how it works|guide)\b/i;
const NOISE = /\b(sponsors?|backers?|contributors?|license|changelog|donat\w+|badges?)\b/i;

/** A crude stem, so "parsing", "parsed" and "parse" meet: drops -ing, -ed, -es, -s, -e. */
export function stem(word: string): string {
  const w = word.toLowerCase();
  for (const suffix of ['ing', 'ed', 'es', 's', 'e'])
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) return w.slice(0, -suffix.length);
  return w;
}

/**
 * Scores a library's sections for a request: the symbols the files import (strongest) and use,
 * the request's words in the title and the text, and the intent — a fix or a review wants API
 * details and known pitfalls, an explanation wants overviews, a change wants signatures and
 * examples. Sponsor lists and licence blurbs score nothing.
 */
export function rankSections(
  sections: readonly DocSection[],
  library: Library,
  query: DocsQuery,
  used: ReadonlySet<string>,
): RankedSection[] {
  const terms = [...new Set(query.terms.map(stem))].filter((t) => t.length > 1);
  const imported = new Set(library.symbols);
  const out: RankedSection[] = [];
  sections.forEach((section, order) => {
    const why: string[] = [];
    let score = 0;
    if (NOISE.test(section.title)) return;
    const named = section.names.filter((n) => imported.has(n));
    if (named.length) {
      score += 5;
      why.push(
        `declares ${named
          .slice(0, 2)
          .map((n) => `\`${n}\``)
          .join(', ')}, which the code imports`,
      );
    }
    const calls = section.names.filter((n) => used.has(n) && !imported.has(n));
    if (calls.length && section.kind !== 'readme') {
      score += 3;
      why.push(`\`${calls[0]}\` is called in the code`);
    }
    if (library.subpaths.some((p) => section.source.includes(p))) {
      score += 3;
      why.push('from the subpath the code imports');
    }
    const titleWords = new Set(section.title.split(/[^A-Za-z0-9]+/).map(stem));
    const text = section.text.toLowerCase();
    const inTitle = terms.filter((t) => titleWords.has(t));
    const inText = terms.filter((t) => !titleWords.has(t) && text.includes(t));
    score += 2 * inTitle.length + Math.min(3, inText.length);
    if (inTitle.length + inText.length)
      why.push(`mentions ${[...inTitle, ...inText].slice(0, 4).join(', ')}`);
    const wantsApi = query.intent === 'fix_bug' || query.intent === 'review';
    const wantsOverview = query.intent === 'explain' || query.intent === 'question';
    if (wantsApi && section.kind !== 'readme' && score > 0) score += 2;
    if (wantsApi && PITFALLS.test(`${section.title}\n${section.text}`) && score > 0) {
      score += 1.5;
      why.push('notes a pitfall');
    }
    if (wantsOverview && section.kind !== 'signature' && (OVERVIEW.test(section.title) || order === 0)) {
      score += 2.5;
      why.push('an overview');
    }
    if (!wantsApi && !wantsOverview && /```|^\s{4}\S/m.test(section.text) && score > 0) score += 1;
    if (score > 0) out.push({ section, score: Math.round(score * 10) / 10, why });
  });
  return out.sort((a, b) => b.score - a.score);
}
