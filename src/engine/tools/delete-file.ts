import { rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, relativePath, toolError, toolPath } from './agent-tool.js';

/** `delete_file {path}`: deletes one file (not a directory) in the project. Asks for approval by default. */
export const deleteFileTool = defineTool({
  name: 'delete_file',
  writes: true,
  description: 'Delete one file in the project. Directories are not deleted.',
  parameters: z.object({ path: z.string().min(1).describe('Path relative to the project root') }),
  async execute({ path }, ctx) {
    const target = toolPath(ctx, path, true);
    if ('ok' in target) return target;
    const info = await stat(target.path).catch(() => null);
    if (!info) return toolError(`No such file: ${path}.`);
    if (info.isDirectory()) return toolError(`${path} is a directory; delete the files in it one by one.`);
    await ctx.willWrite(relativePath(ctx, target.path), null);
    await rm(target.path);
    await ctx.fileChanged(relativePath(ctx, target.path));
    return { ok: true, text: `Deleted ${path}.` };
  },
});
