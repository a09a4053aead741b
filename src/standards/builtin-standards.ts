import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitFrontmatter } from './frontmatter.js';
import type { Standard } from './standard.js';
import { describe, standardTags, titleOf } from './standard-tags.js';

const DIR = fileURLToPath(new URL('./builtin/', import.meta.url));
let loaded: Standard[] | undefined;

/**
 * Ralex's own defaults (`src/standards/builtin/*.md`): testing, error handling, security, the
 * scope of a change, and one per major language. A project's or the user's standard on the same
 * language or topic takes their place.
 */
export function builtinStandards(): Standard[] {
  loaded ??= readPrebuilt() ?? parseBuiltinStandards();
  return loaded;
}

/**
 * The file the build writes beside the built-in standards (`scripts/copy-assets.mjs`): them
 * parsed, so a command reads one JSON file instead of loading a YAML parser for ten frontmatters
 * (~25 ms of a one-shot change's context stage).
 */
export const PREBUILT_FILE = 'standards.json';

function readPrebuilt(): Standard[] | null {
  try {
    return JSON.parse(readFileSync(`${DIR}${PREBUILT_FILE}`, 'utf8')) as Standard[];
  } catch {
    return null; // running from the sources: parse the markdown
  }
}

/** The built-in standards parsed from their markdown files. */
export function parseBuiltinStandards(): Standard[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const fm = splitFrontmatter(readFileSync(`${DIR}${f}`, 'utf8'));
      const body = fm.body.trim();
      const name = f.replace(/\.md$/, '');
      const title = typeof fm.data.title === 'string' ? fm.data.title : titleOf(body, f);
      return {
        id: `builtin:${name}`,
        title,
        description: describe(body, fm.data),
        source: `builtin:${name}`,
        origin: 'builtin' as const,
        ...standardTags(f, title, fm.data),
        paths: [],
        always: fm.data.always === true,
        content: body,
      };
    });
}
