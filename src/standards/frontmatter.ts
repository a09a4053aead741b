import { parse } from 'yaml';

/** A markdown file split into its YAML frontmatter (if any) and its body. */
export interface Frontmatter {
  data: Record<string, unknown>;
  body: string;
  /** Why the frontmatter was ignored, when it could not be read. */
  error?: string;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits `---`-fenced YAML frontmatter from a markdown text; bad YAML is ignored and said. */
export function splitFrontmatter(text: string): Frontmatter {
  const m = FENCE.exec(text);
  if (!m) return { data: {}, body: text };
  const body = text.slice(m[0].length);
  try {
    const data = parse(m[1]!, { maxAliasCount: 10 }) as unknown;
    if (data === null || data === undefined) return { data: {}, body };
    if (typeof data !== 'object' || Array.isArray(data))
      return { data: {}, body, error: 'the frontmatter is not a mapping' };
    return { data: data as Record<string, unknown>, body };
  } catch (error) {
    return { data: {}, body, error: `the frontmatter is not valid YAML (${(error as Error).message})` };
  }
}

/** A frontmatter value as a list of strings: a list, or one comma-separated string. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [];
}
