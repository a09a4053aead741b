import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, toolError, toolPath } from './agent-tool.js';

const MAX_ENTRIES = 500;
const HIDDEN = new Set(['.git', 'node_modules']);

/** `list_directory {path}`: the entries of one directory in the project, folders marked with "/". */
export const listDirectoryTool = defineTool({
  name: 'list_directory',
  writes: false,
  description: 'List the files and folders directly inside a project directory. Folders end with "/".',
  parameters: z.object({
    path: z.string().describe('Directory relative to the project root ("." for the root)'),
  }),
  async execute({ path }, ctx) {
    const target = toolPath(ctx, path || '.', false);
    if ('ok' in target) return target;
    const entries = await readdir(target.path, { withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => error,
    );
    if (entries instanceof Error) {
      return toolError(
        entries.code === 'ENOTDIR'
          ? `${path} is a file; use read_file to read it.`
          : `No such directory: ${path}.`,
      );
    }
    const names = entries
      .filter((e) => !HIDDEN.has(e.name))
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .sort((a, b) => a.localeCompare(b));
    const shown = names.slice(0, MAX_ENTRIES);
    const more = names.length > MAX_ENTRIES ? `\n… and ${names.length - MAX_ENTRIES} more` : '';
    return { ok: true, text: shown.length ? shown.join('\n') + more : '(empty directory)' };
  },
});
