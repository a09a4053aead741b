import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { defineTool, relativePath, toolError, toolPath, toolTmpDir } from './agent-tool.js';

/** `edit_file {path, old_text, new_text}`: replaces one exact, unique piece of a file. */
export const editFileTool = defineTool({
  name: 'edit_file',
  writes: true,
  description:
    'Replace old_text with new_text in a file. old_text must match the file exactly (including indentation) and occur exactly once; include a few surrounding lines to make it unique. Use an empty new_text to delete the text.',
  parameters: z.object({
    path: z.string().min(1).describe('Path relative to the project root'),
    old_text: z.string().min(1).describe('The exact text to replace; must occur exactly once'),
    new_text: z.string().describe('The text to put in its place'),
  }),
  async execute({ path, old_text, new_text }, ctx) {
    const target = toolPath(ctx, path, true);
    if ('ok' in target) return target;
    const original = await readFile(target.path, 'utf8').catch(() => null);
    if (original === null) return toolError(`No such file: ${path}. Use write_file to create it.`);
    // A model usually writes "\n"; keep a CRLF file CRLF.
    const crlf = original.includes('\r\n') && !old_text.includes('\r\n');
    const oldText = crlf ? old_text.replace(/\n/g, '\r\n') : old_text;
    const newText = crlf ? new_text.replace(/\n/g, '\r\n') : new_text;
    const count = countOccurrences(original, oldText);
    if (count === 0) {
      return toolError(
        `old_text was not found in ${path}. Read the file again (read_file) and copy the text exactly, including indentation.`,
      );
    }
    if (count > 1) {
      return toolError(
        `old_text occurs ${count} times in ${path}; include more surrounding lines so it matches exactly one place.`,
      );
    }
    const at = original.indexOf(oldText);
    const updated = original.slice(0, at) + newText + original.slice(at + oldText.length);
    await ctx.willWrite(relativePath(ctx, target.path), updated);
    const { mode } = await stat(target.path);
    await writeFileAtomic(target.path, updated, { tmpDir: toolTmpDir(ctx), mode });
    await ctx.fileChanged(relativePath(ctx, target.path));
    const line = original.slice(0, at).split('\n').length;
    return { ok: true, text: `Edited ${path} at line ${line}.` };
  },
});

function countOccurrences(text: string, piece: string): number {
  let count = 0;
  for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) count++;
  return count;
}
