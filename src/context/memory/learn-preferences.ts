/**
 * Preferences a person states while giving a command: "I prefer pytest over unittest", "always
 * use tabs", "never mock the database", "remember that the API is versioned", "use pnpm, not npm".
 * Only the person's own words are learned (never the model's), as they said them.
 */
const PATTERNS: readonly RegExp[] = [
  /\b(?:please\s+)?remember(?:\s+that)?\s+(.{6,200}?)(?:[.!?]\s|[.!?]?$)/i,
  /\b(I\s+(?:always\s+|usually\s+)?prefer\s+.{3,160}?)(?:[.!?]\s|[.!?]?$)/i,
  /\b(we\s+(?:always|never)\s+.{3,160}?)(?:[.!?]\s|[.!?]?$)/i,
  /(?:^|[.!?,;]\s+)((?:always|never)\s+(?:use|write|add|put|call|name|mock|commit|run)\b.{2,160}?)(?:[.!?]\s|[.!?]?$)/i,
  /\b(use\s+\S+(?:\s+\S+)?\s+(?:instead\s+of|rather\s+than|not)\s+\S+.{0,80}?)(?:[.!?]\s|[.!?]?$)/i,
  /\b(don'?t\s+(?:ever\s+)?(?:use|add|write|mock|commit|touch)\s+.{3,160}?)(?:[.!?]\s|[.!?]?$)/i,
];

/** The preference statements in a command's text, cleaned up, each once. */
export function statedPreferences(text: string): string[] {
  const out = new Set<string>();
  for (const p of PATTERNS) {
    const m = p.exec(text);
    if (!m) continue;
    let s = m[1]!.trim().replace(/\s+/g, ' ');
    s = s.charAt(0).toUpperCase() + s.slice(1);
    out.add(s.replace(/[,;:]$/, ''));
  }
  return [...out];
}
