import { basename } from 'node:path';
import { stringList } from './frontmatter.js';

/** Words (in file names, folders, titles) that name a language, and the language they name. */
const LANGUAGE_WORDS: Record<string, string> = {
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'typescript',
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  python: 'python',
  py: 'python',
  go: 'go',
  golang: 'go',
  rust: 'rust',
  java: 'java',
  kotlin: 'kotlin',
  ruby: 'ruby',
  csharp: 'csharp',
  dotnet: 'csharp',
  php: 'php',
  swift: 'swift',
  cpp: 'cpp',
};

/** Words that name a topic, and the topic. Agent OS v2's folders (backend, frontend, global, testing) are topics too. */
const TOPIC_WORDS: Record<string, string> = {
  test: 'testing',
  tests: 'testing',
  testing: 'testing',
  spec: 'testing',
  specs: 'testing',
  tdd: 'testing',
  error: 'error-handling',
  errors: 'error-handling',
  exception: 'error-handling',
  exceptions: 'error-handling',
  validation: 'error-handling',
  security: 'security',
  secure: 'security',
  auth: 'security',
  authentication: 'security',
  authorization: 'security',
  secrets: 'security',
  crypto: 'security',
  style: 'style',
  naming: 'style',
  conventions: 'style',
  formatting: 'style',
  commenting: 'style',
  comments: 'style',
  api: 'api',
  endpoints: 'api',
  database: 'database',
  db: 'database',
  migrations: 'database',
  queries: 'database',
  models: 'database',
  sql: 'database',
  frontend: 'frontend',
  components: 'frontend',
  css: 'frontend',
  accessibility: 'frontend',
  responsive: 'frontend',
  ui: 'frontend',
  backend: 'backend',
  stack: 'stack',
  global: 'global',
  practices: 'global',
};

/** The words of a path and a title, lower-cased: `code-style/javascript-style.md` → code, style, javascript. */
export function nameWords(...texts: string[]): string[] {
  return texts
    .flatMap((t) => t.replace(/\.md$/i, '').split(/[^A-Za-z0-9#+]+/))
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** Tags of a standard from its frontmatter, else from the words of its path and title. */
export function standardTags(
  path: string,
  title: string,
  data: Record<string, unknown>,
): { languages: string[]; frameworks: string[]; topics: string[]; intents: string[] } {
  const words = nameWords(path, basename(path), title);
  const fromWords = (table: Record<string, string>) => [
    ...new Set(words.flatMap((w) => (table[w] ? [table[w]!] : []))),
  ];
  const given = (key: string) => stringList(data[key]).map((s) => s.toLowerCase());
  const languages = given('languages');
  const frameworks = given('frameworks');
  const topics = given('topics');
  return {
    languages: languages.length ? languages.map((l) => LANGUAGE_WORDS[l] ?? l) : fromWords(LANGUAGE_WORDS),
    // Only frontmatter names frameworks: a file called pytest.md is not a reason to require pytest in the manifests.
    frameworks,
    topics: topics.length ? topics : fromWords(TOPIC_WORDS),
    intents: given('intents'),
  };
}

/** A markdown text's title (its first `#` heading) or a name made from its file name. */
export function titleOf(body: string, path: string): string {
  const heading = /^#{1,3}[ \t]+(.+?)[ \t#]*$/m.exec(body);
  if (heading) return heading[1]!.trim().slice(0, 120);
  return basename(path)
    .replace(/\.md$/i, '')
    .replace(/[-_]+/g, ' ')
    .replace(/^\w/, (c) => c.toUpperCase());
}

/** A one-line description: the frontmatter's, else the first line of prose after the title. */
export function describe(body: string, data: Record<string, unknown>): string {
  if (typeof data.description === 'string' && data.description.trim()) return oneLine(data.description);
  for (const line of body.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith('```') || t.startsWith('---') || t.startsWith('<!--'))
      continue;
    return oneLine(t.replace(/^[-*]\s+/, ''));
  }
  return '';
}

function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 160 ? `${t.slice(0, 157)}…` : t;
}
