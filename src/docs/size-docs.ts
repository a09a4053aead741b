import type { Candidate } from '../context/pack/pack-context.js';
import type { TokenCounter } from '../context/pack/tokenizer.js';
import type { Library, LibraryDocs } from './library.js';
import type { RankedSection } from './rank-sections.js';

/** One provider's ranked docs for one library, ready to size into the context. */
export interface FoundDocs {
  library: Library;
  docs: Omit<LibraryDocs, 'sections'>;
  ranked: RankedSection[];
  cached: boolean;
}

const MIN_ROOM = 120;
/** Above the highest score `own` can reach (7 + 3 + 2): scaled by it, every docs item stays below the best file. */
const OWN_MAX = 12.5;

/**
 * Makes one `docs` candidate per library and provider within `room` tokens (shared by weight,
 * installed docs before Context7's): the best sections, each titled with the file it came from,
 * under a header naming the library, its version and where the version was read.
 */
export function docsCandidates(
  found: readonly FoundDocs[],
  room: number,
  budget: number,
  count: TokenCounter,
  topScore = 0,
): Candidate[] {
  const total = found.reduce((n, f) => n + share(f), 0) || 1;
  const out: Candidate[] = [];
  for (const f of found) {
    const allowance = Math.floor((room * share(f)) / total);
    if (allowance < MIN_ROOM || f.ranked.length === 0) continue;
    const lib = f.library;
    const header =
      f.docs.provider === 'installed'
        ? `${lib.name} ${f.docs.version}: installed docs from ${f.docs.origin} (version from ${lib.versionSource})`
        : `${lib.name}: ${f.docs.origin} (docs for ${f.docs.version}; the project has ${lib.version})`;
    let content = header;
    let tokens = count(content);
    const used: RankedSection[] = [];
    for (const r of f.ranked) {
      const part = `\n\n### ${r.section.title} (${r.section.source})\n${r.section.text}`;
      const n = count(part);
      if (tokens + n > allowance) continue;
      content += part;
      tokens += n;
      used.push(r);
    }
    if (used.length === 0) continue;
    const best = used[0]!;
    const own =
      7 + Math.min(lib.weight, 3) + Math.min(best.score, 10) / 5 - (f.docs.provider === 'context7' ? 0.5 : 0);
    out.push({
      kind: 'docs',
      ref: `${lib.name}@${f.docs.version} (${f.docs.origin})`,
      content,
      // Docs serve the code: a library the files in play only import ranks below the best file
      // (in its own order: its score scaled into that file's); one the request names keeps its place.
      score: lib.named || topScore <= 0 ? own : Math.round(((topScore * own) / OWN_MAX) * 1000) / 1000,
      reasons: [
        ...lib.why.slice(0, 3),
        f.docs.provider === 'installed'
          ? `the installed version, ${f.docs.version} (${lib.versionSource})`
          : `from Context7 over MCP: ${f.docs.origin}`,
        `${used.length} of ${f.ranked.length} matching sections: ${used
          .slice(0, 3)
          .map((u) => `${u.section.title}${u.why.length ? ` (${u.why[0]})` : ''}`)
          .join('; ')}`,
        ...f.docs.notes,
        ...(f.cached ? ['from the docs cache'] : []),
      ],
      maxShare: Math.min(1, (tokens + 8) / budget),
    });
  }
  return out;
}

function share(f: FoundDocs): number {
  return Math.max(0.5, f.library.weight) * (f.docs.provider === 'installed' ? 1 : 0.7);
}
