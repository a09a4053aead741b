import { compactKey, spokenKeys } from '../../command/spoken/spoken-forms.js';
import { EQUIVALENT_EXTENSIONS } from '../../command/spoken/spoken-vocabulary.js';
import { extensionOf, type FileMatcher } from './file-matcher.js';
import type { MentionSpan } from './mention-spans.js';
import { LEFT_BOUNDARY } from './name-boundaries.js';
import type { Token } from './tokens.js';

/** Names that look like files but are products ("node.js", "socket.io"): mentions only when the project has such a file. */
const PRODUCT_NAMES =
  /^(?:node|next|nuxt|vue|react|express|three|d3|chart|ember|backbone|angular|alpine|moment|day|socket|asp|ado)\.(?:js|io|net)$/;
const TYPED_PATH = /^(?:\.{1,2}\/)?[\w@+~[\]().-]*[\w\])]\.[a-z][a-z0-9]{0,7}$/i;
const TYPED_FOLDERS = /^(?:\.{1,2}\/)?[\w@+~.-]+(?:\/[\w@+~.[\]()-]*)+$/;

/**
 * A path typed as one token ("src/app.ts", "./user_auth.py:42", ".env.example"), or a recogniser's
 * "user auth.py" with the words before it. Unknown names count only with a real extension.
 */
export function typedPathSpan(
  tokens: readonly Token[],
  i: number,
  matcher: FileMatcher,
): MentionSpan | undefined {
  const word = tokens[i]!.word;
  if (word.includes('://') || /^([a-z]\.)+[a-z]?$/.test(word)) return undefined;
  const path = word.replace(/^\.\//, '').replace(/:\d+(?::\d+)?$/, '');
  if (/^\.[a-z][\w.-]*$/.test(path)) {
    const matches = matcher.exact([compactKey(path)]);
    return matches.length > 0 ? { start: i, end: i + 1, matches, kind: 'typed' } : undefined;
  }
  const isFile = TYPED_PATH.test(path);
  if (!isFile && !TYPED_FOLDERS.test(path)) return undefined;
  const key = compactKey(path);
  const keys = withEquivalentExtensions(key);
  // Recognisers write "user auth.py": words before the token may belong to the name (the longest fit wins).
  for (let s = Math.max(0, i - 4); isFile && !path.includes('/') && s < i; s++) {
    if (LEFT_BOUNDARY.has(tokens[s]!.word) || tokens.slice(s, i).some((t) => t.pause)) continue;
    const prefixes = spokenKeys(tokens.slice(s, i).map((t) => t.word));
    const matches = matcher.exact(prefixes.flatMap((p) => keys.map((k) => p + k)));
    if (matches.length > 0) return { start: s, end: i + 1, matches, kind: 'spoken' };
  }
  let matches = matcher.exact(keys);
  if (matches.length === 0 && isFile) matches = matcher.fuzzy(keys);
  if (
    matches.length === 0 &&
    (!isFile || PRODUCT_NAMES.test(path) || !matcher.knowsExtension(extensionOf(key)))
  ) {
    return undefined;
  }
  return { start: i, end: i + 1, matches, kind: 'typed' };
}

/** The key, plus the same name with an equivalent extension ("settings.yml" → "settings.yaml"). */
function withEquivalentExtensions(key: string): string[] {
  const ext = extensionOf(key);
  const others = EQUIVALENT_EXTENSIONS[ext] ?? [];
  return [key, ...others.map((o) => key.slice(0, key.length - ext.length) + o)];
}
