import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { defineTool, toolError, toolPath } from './agent-tool.js';

const MAX_MATCHES = 200;
const MAX_FILE_BYTES = 1024 * 1024;

/** `search_files {pattern, path?, glob?}`: lines matching a regular expression across project files. */
export const searchFilesTool = defineTool({
  name: 'search_files',
  writes: false,
  description:
    'Search the project files for a regular expression (JavaScript syntax, case-sensitive unless (?i) is used). ' +
    'Optionally limit to a directory (path) and a file glob (e.g. "**/*.ts"). Returns path:line: text.',
  parameters: z.object({
    pattern: z.string().min(1).describe('Regular expression to look for'),
    path: z.string().optional().describe('Directory to search in, relative to the project root'),
    glob: z.string().optional().describe('Only files whose project-relative path matches this glob'),
  }),
  async execute({ pattern, path, glob }, ctx) {
    let regex: RegExp;
    try {
      const insensitive = pattern.startsWith('(?i)');
      regex = new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? 'i' : '');
    } catch (error) {
      return toolError(
        `Invalid regular expression: ${(error as Error).message}. Escape special characters like ( [ .`,
      );
    }
    let prefix = '';
    if (path && path !== '.') {
      const target = toolPath(ctx, path, false);
      if ('ok' in target) return target;
      prefix = `${target.path.slice(ctx.root.length + 1)}/`;
    }
    const matchesGlob = glob ? picomatch(glob, { dot: true, matchBase: !glob.includes('/') }) : () => true;
    const files = (await ctx.listFiles()).filter((f) => f.startsWith(prefix) && matchesGlob(f));
    const hits: string[] = [];
    for (const file of files) {
      if (ctx.signal.aborted || hits.length >= MAX_MATCHES) break;
      if (ctx.checkPath(file, { write: false }).decision !== 'allow') continue; // secrets stay unread
      const content = await readFile(join(ctx.root, file)).catch(() => null);
      if (!content || content.length > MAX_FILE_BYTES || content.includes(0)) continue;
      const lines = content.toString('utf8').split('\n');
      for (let i = 0; i < lines.length && hits.length < MAX_MATCHES; i++) {
        if (regex.test(lines[i]!)) hits.push(`${file}:${i + 1}: ${lines[i]!.slice(0, 300)}`);
      }
    }
    if (!hits.length) return { ok: true, text: `No matches for /${pattern}/ in ${files.length} files.` };
    const more =
      hits.length >= MAX_MATCHES ? `\n… stopped at ${MAX_MATCHES} matches; narrow the search.` : '';
    return { ok: true, text: hits.join('\n') + more };
  },
});
