import type { DirectAction } from './direct-action.js';

const MAX_SHOWN = 200;

/**
 * "list files [in <dir>]": the project's files (tracked and untracked, not ignored) under a
 * folder, folders summarised with their file counts.
 */
export const listFiles: DirectAction = async (parsed, _run, rt) => {
  const dir = (parsed.args.path ?? '').replace(/^\.?\/*|\/+$/g, '');
  const prefix = dir ? `${dir}/` : '';
  const files = (await rt.files.list()).filter((f) => f.startsWith(prefix) && !f.startsWith('.ralex/state/'));
  if (!files.length) {
    return {
      status: dir ? 'failed' : 'succeeded',
      reply: dir ? `There are no files under ${dir}/.` : 'This project has no files yet.',
    };
  }
  const folders = new Map<string, number>();
  const direct: string[] = [];
  for (const f of files) {
    const rest = f.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) direct.push(rest);
    else folders.set(rest.slice(0, slash), (folders.get(rest.slice(0, slash)) ?? 0) + 1);
  }
  const lines = [
    ...[...folders]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, n]) => `- \`${prefix}${name}/\` (${n} file${n === 1 ? '' : 's'})`),
    ...direct.sort().map((name) => `- \`${prefix}${name}\``),
  ];
  const shown = lines.slice(0, MAX_SHOWN).join('\n');
  const more = lines.length > MAX_SHOWN ? `\n… and ${lines.length - MAX_SHOWN} more` : '';
  return {
    reply: `${files.length} file${files.length === 1 ? '' : 's'} in ${dir ? `${dir}/` : 'the project'}:\n${shown}${more}`,
    spoken: `${count(files.length, 'file')} in ${dir || 'the project'}: ${count(folders.size, 'folder')} and ${count(direct.length, 'file')} at the top.`,
    files: direct.map((n) => `${prefix}${n}`),
  };
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
