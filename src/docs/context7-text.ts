/**
 * Reading Context7's answers. Its tools answer in text, and failures come back as text too, with
 * no `isError` flag: offline, `resolve-library-id` says "Error searching libraries: TypeError: fetch
 * failed" and `query-docs` "Error fetching library context. Please try again later. …".
 */

/** A library as `resolve-library-id` lists it. */
export interface Context7Library {
  title: string;
  id: string;
  description: string;
  snippets: number;
  reputation: string;
  versions: string[];
}

/** Texts that mean Context7 could not answer (offline, rate limited, a bad key, a server error). */
const UNAVAILABLE = [
  /^Error searching libraries:/,
  /^Error fetching library context/,
  /^Rate limited or quota exceeded/,
  /^Invalid API key/,
  /^Request failed with status \d+/,
  /^Authentication required/,
  /^Unauthorized/,
];
/** Texts that mean Context7 answered but has nothing for this library. */
const NOTHING = [
  /^No libraries found matching/,
  /^No documentation libraries found/,
  /^Documentation not found or not finalized/,
  /^The library you are trying to access does not exist/,
];

/** What a tool's text means: an answer, "nothing for this", or "Context7 could not answer" with why. */
export type Context7Reading =
  | { kind: 'answer'; text: string }
  | { kind: 'nothing'; text: string }
  | { kind: 'unavailable'; reason: string };

/** Classifies a tool result's text (and its `isError` flag, for servers that set it). */
export function readContext7Text(text: string, isError = false): Context7Reading {
  const t = text.trim();
  if (isError || UNAVAILABLE.some((r) => r.test(t)))
    return { kind: 'unavailable', reason: t.split('\n')[0]!.slice(0, 200) || 'an error' };
  if (!t || NOTHING.some((r) => r.test(t))) return { kind: 'nothing', text: t };
  return { kind: 'answer', text: t };
}

/** The libraries of a `resolve-library-id` answer ("- Title: …\n- Context7-compatible library ID: …", separated by "----------"). */
export function parseLibraries(text: string): Context7Library[] {
  const out: Context7Library[] = [];
  for (const block of text.split(/\n-{6,}\n/)) {
    const field = (name: string) => new RegExp(`^-\\s*${name}:\\s*(.+)$`, 'mi').exec(block)?.[1]?.trim();
    const id = field('Context7-compatible library ID');
    if (!id || !/^\/[\w.-]+\/[\w.-]+/.test(id)) continue;
    out.push({
      title: field('Title') ?? id,
      id,
      description: field('Description') ?? '',
      snippets: Number(field('Code Snippets') ?? 0) || 0,
      reputation: field('Source Reputation') ?? 'Unknown',
      versions: (field('Versions') ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    });
  }
  return out;
}

/**
 * The library id to ask for: the result whose title or id names the package (exact first), and
 * the installed version when Context7 lists it (`/org/project/v1.11.13`); else the library's
 * latest docs, said so.
 */
export function pickLibrary(
  results: readonly Context7Library[],
  name: string,
  version: string,
): { id: string; version: string | null; library: Context7Library } | null {
  if (results.length === 0) return null;
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/^@/, '')
      .replace(/[^a-z0-9]/g, '');
  const want = norm(name.split('/').at(-1)!);
  const rank = (r: Context7Library) =>
    (norm(r.title) === want ? 4 : 0) +
    (norm(r.id.split('/')[2] ?? '') === want ? 3 : 0) +
    (norm(r.title).includes(want) ? 1 : 0) +
    Math.min(1, r.snippets / 1000);
  const best = [...results].sort((a, b) => rank(b) - rank(a))[0]!;
  const v = best.versions.find((x) => x.replace(/^v/, '') === version.replace(/^v/, ''));
  return { id: v ? `${best.id}/${v}` : best.id, version: v ?? null, library: best };
}

/** Splits a `query-docs` answer into its snippets (separated by dashed lines), each titled by its heading. */
export function context7Snippets(text: string): { title: string; text: string }[] {
  return text
    .split(/\n-{10,}\n|\n={10,}\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 20)
    .map((s) => ({
      title: (/^(?:#{1,4}\s+|TITLE:\s*)(.+)$/m.exec(s)?.[1] ?? s.split('\n')[0]!).slice(0, 120),
      text: s,
    }));
}
