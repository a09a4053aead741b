import { z } from 'zod';

/** Ecosystems Ralex finds installed docs in. */
export const DocsEcosystemSchema = z.enum(['npm', 'python', 'go']);
/** One ecosystem of installed docs. */
export type DocsEcosystem = z.infer<typeof DocsEcosystemSchema>;

/** A library the command touches, resolved to the version the project has. */
export const LibrarySchema = z.object({
  ecosystem: DocsEcosystemSchema,
  /** The package (npm), the import name (Python), the module path (Go). */
  name: z.string(),
  /** The version installed (or locked, when nothing is installed). */
  version: z.string(),
  /** Where the version was read, e.g. `node_modules/dayjs/package.json (package-lock.json agrees)`. */
  versionSource: z.string(),
  /** Why the command touches it: `imported by src/date.ts`, `named in the request`. */
  why: z.array(z.string()),
  /** Names the files import from it or call on it (`dayjs`, `extend`, `format`). */
  symbols: z.array(z.string()),
  /** Subpaths imported (`plugin/customParseFormat`, `encoding/json` inside a module). */
  subpaths: z.array(z.string()),
  /** How strongly the command points at it (named in the request > imported by a named file > …). */
  weight: z.number(),
  /** Whether the version was read from the installed package (not only from a lock file). */
  installed: z.boolean().optional(),
  /** Whether the request names it ("the dayjs helper"), not only a file in play importing it. */
  named: z.boolean().optional(),
});
/** A library in play. */
export type Library = z.infer<typeof LibrarySchema>;

/** One piece of documentation: a README section, a signature with its doc comment, a docstring. */
export const DocSectionSchema = z.object({
  /** e.g. `README.md › Parse`, `dayjs.Dayjs.format()`. */
  title: z.string(),
  text: z.string(),
  /** The file it came from (project-relative, `~/…`, or a Context7 library id). */
  source: z.string(),
  kind: z.enum(['readme', 'signature', 'docstring', 'godoc', 'context7']),
  /** Names it declares or documents, for matching the symbols in play. */
  names: z.array(z.string()),
});
/** One piece of documentation. */
export type DocSection = z.infer<typeof DocSectionSchema>;

/** What a provider found for one library. */
export const LibraryDocsSchema = z.object({
  provider: z.enum(['installed', 'context7']),
  /** Where the docs come from: `node_modules/dayjs`, `Context7 /iamkun/dayjs/v1.11.13`. */
  origin: z.string(),
  /** The version the docs are for (Context7 may only have another one). */
  version: z.string(),
  sections: z.array(DocSectionSchema),
  notes: z.array(z.string()),
});
/** One provider's docs for one library. */
export type LibraryDocs = z.infer<typeof LibraryDocsSchema>;

/** What docs are looked up for: the request's words, its intent, the symbols the files use. */
export interface DocsQuery {
  request: string;
  intent: string;
  /** Search words of the request. */
  terms: string[];
}

/** A source of documentation for libraries at a version: installed files, or Context7. */
export interface DocsProvider {
  readonly name: LibraryDocs['provider'];
  /** The docs of one library, or null when this provider has none. Stops when `signal` aborts. */
  lookup(library: Library, query: DocsQuery, signal: AbortSignal): Promise<LibraryDocs | null>;
}
