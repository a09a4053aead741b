import { languageOf } from '../context/index/file-kind.js';
import { queryTerms } from '../context/rank/query-terms.js';
import type { ProjectDependencies } from '../docs/project-dependencies.js';

/** What a request is, for choosing standards: its words, intent, complexity and the files in play. */
export interface StandardsRequest {
  request: string;
  intent: string;
  /** 1–10, from the parse stage. */
  complexity: number;
  /** Project-relative paths the command is about: named, then the best ranked. */
  files: readonly string[];
  /** The person's stated preferences (`user_patterns.md` entries). */
  preferences: readonly string[];
}

/** The facts standards are matched on. */
export interface RequestProfile {
  /** Language → the files (or manifest) that show it. */
  languages: Map<string, string[]>;
  /** Declared dependency (lower-cased) → its manifest. */
  frameworks: Map<string, string>;
  /** Words of the request or the files' paths that make it security-sensitive. */
  security: string[];
  /** Search words of the request and the files' names. */
  terms: Set<string>;
}

/** Language names for reasons. */
export const LANGUAGE_NAMES: Record<string, string> = {
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  python: 'Python',
  go: 'Go',
  rust: 'Rust',
  java: 'Java',
  kotlin: 'Kotlin',
  ruby: 'Ruby',
  csharp: 'C#',
  php: 'PHP',
  swift: 'Swift',
  c: 'C',
  cpp: 'C++',
};

const SECURITY =
  /\b(auth\w*|log ?in|logout|sign ?in|passwords?|passwd|tokens?|secrets?|credentials?|crypto\w*|encrypt\w*|decrypt\w*|password hash\w*|hash(?:ing|es)? passwords?|permissions?|roles?|access control|sessions?|cookies?|csrf|xss|sql injection|injection|saniti[sz]\w*|(?:html|sql|shell) escap\w+|escap\w+ (?:html|sql|shell|user input)|uploads?|jwt|oauth|sso|signatures?|certificates?|tls|ssl|vulnerab\w*|exploits?|cve|api keys?)\b/gi;

/** Profiles a request: languages of its files (else of the manifests), frameworks, security words. */
export function requestProfile(req: StandardsRequest, deps: ProjectDependencies): RequestProfile {
  const languages = new Map<string, string[]>();
  for (const f of req.files) {
    const lang = languageOf(f);
    const name = lang === 'tsx' ? 'typescript' : lang;
    if (name) languages.set(name, [...(languages.get(name) ?? []), f]);
  }
  if (languages.size === 0) for (const l of deps.languages) languages.set(l, ['the project manifests']);
  const frameworks = new Map<string, string>();
  for (const d of deps.dependencies) frameworks.set(d.name.toLowerCase(), d.manifest);
  const security = new Set<string>();
  for (const text of [req.request, ...req.files.map((f) => f.replace(/[/_.-]+/g, ' '))])
    for (const m of text.matchAll(SECURITY)) security.add(m[0].toLowerCase());
  const terms = new Set([
    ...queryTerms(req.request),
    ...req.files.flatMap((f) => queryTerms(f.replace(/\.[a-z]+$/i, ''))),
  ]);
  return { languages, frameworks, security: [...security], terms };
}
