import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DirectAction } from './direct-action.js';
import { fileQuestion } from './file-question.js';

const MAX_LINES = 400;

/** "show / read / open <file>": the file's text, fenced with its language, cut at 400 lines. */
export const showFile: DirectAction = async (parsed, _run, rt) => {
  const question = fileQuestion(parsed, 'show');
  if (question) return question;
  const file = parsed.files[0]!;
  const check = rt.policy.checkPath(file, { write: false });
  if (check.decision === 'deny' || !check.resolved) {
    return {
      status: 'denied',
      reply: `I may not read ${file}: ${check.reason}`,
      spoken: `I may not read ${file}.`,
    };
  }
  const buffer = await readFile(check.resolved).catch(() => null);
  if (!buffer) return { status: 'failed', reply: `${file} does not exist any more.`, files: [file] };
  if (buffer.includes(0)) {
    return {
      reply: `${file} is a binary file (${buffer.length} bytes).`,
      spoken: `${file} is a binary file.`,
      files: [file],
    };
  }
  const text = buffer.toString('utf8');
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const shown = lines.slice(0, MAX_LINES).join('\n');
  const more = lines.length > MAX_LINES ? `\n… ${lines.length - MAX_LINES} more lines` : '';
  return {
    reply: `\`${file}\` (${lines.length} lines):\n\`\`\`${extname(file).slice(1)}\n${shown}\n\`\`\`${more}`,
    spoken: `Here is ${file.split('/').pop()}, ${lines.length} lines.`,
    files: [file],
  };
};
