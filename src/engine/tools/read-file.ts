import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, toolError, toolPath } from './agent-tool.js';

const MAX_BYTES = 256 * 1024;
const DEFAULT_LIMIT = 400;

/** `read_file {path, offset?, limit?}`: numbered lines of a text file inside the project. */
export const readFileTool = defineTool({
  name: 'read_file',
  writes: false,
  description:
    'Read a text file in the project. Returns numbered lines. Use offset (1-based first line) and limit (number of lines) for long files.',
  parameters: z.object({
    path: z.string().min(1).describe('Path relative to the project root'),
    offset: z.number().int().min(1).optional().describe('First line to return, 1-based'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .optional()
      .describe(`Most lines to return (default ${DEFAULT_LIMIT})`),
  }),
  async execute({ path, offset = 1, limit = DEFAULT_LIMIT }, ctx) {
    const target = toolPath(ctx, path, false);
    if ('ok' in target) return target;
    const info = await stat(target.path).catch(() => null);
    if (!info)
      return toolError(`No such file: ${path}. Use list_directory or search_files to find the right path.`);
    if (info.isDirectory())
      return toolError(`${path} is a directory; use list_directory to see what is in it.`);
    const handle = await open(target.path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(info.size, MAX_BYTES));
      await handle.read(buffer, 0, buffer.length, 0);
      if (buffer.includes(0))
        return toolError(`${path} is a binary file (${info.size} bytes); it cannot be shown as text.`);
      const lines = buffer.toString('utf8').split('\n');
      if (info.size > MAX_BYTES) lines.pop(); // the last line may be cut mid-way
      const slice = lines.slice(offset - 1, offset - 1 + limit);
      const numbered = slice.map((line, i) => `${String(offset + i).padStart(5)}  ${line}`).join('\n');
      const shownEnd = offset - 1 + slice.length;
      const more =
        shownEnd < lines.length || info.size > MAX_BYTES
          ? `\n… (${path}: lines ${offset}-${shownEnd} shown; read on with offset ${shownEnd + 1})`
          : '';
      return { ok: true, text: numbered + more };
    } finally {
      await handle.close();
    }
  },
});
