import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { defineTool, relativePath, toolError, toolPath, toolTmpDir } from './agent-tool.js';

/** `write_file {path, content}`: creates or replaces a text file in the project (folders made as needed). */
export const writeFileTool = defineTool({
  name: 'write_file',
  writes: true,
  description:
    'Create a file, or replace its whole content. For a change inside an existing file prefer edit_file. Paths are relative to the project root.',
  parameters: z.object({
    path: z.string().min(1).describe('Path relative to the project root'),
    content: z.string().describe('The complete new content of the file'),
  }),
  async execute({ path, content }, ctx) {
    const target = toolPath(ctx, path, true);
    if ('ok' in target) return target;
    const existing = await stat(target.path).catch(() => null);
    if (existing?.isDirectory()) return toolError(`${path} is a directory; give a file path.`);
    await ctx.willWrite(relativePath(ctx, target.path), content);
    await mkdir(dirname(target.path), { recursive: true });
    await writeFileAtomic(target.path, content, { tmpDir: toolTmpDir(ctx), mode: existing?.mode });
    await ctx.fileChanged(relativePath(ctx, target.path));
    const lines = content === '' ? 0 : content.split('\n').length;
    return { ok: true, text: `${existing ? 'Replaced' : 'Created'} ${path} (${lines} lines).` };
  },
});
