import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { RalexError } from '../../errors.js';
import { ralexPaths } from '../../project/ralex-paths.js';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** `ralex transcribe [--json] [--project DIR] <audio file>`: speech to text, and with --json the parsed command. */
export function registerTranscribeCommand(program: Command): void {
  withProjectOption(
    program
      .command('transcribe')
      .description('transcribe an audio file (offline with pocketsphinx) and show the command it parses to')
      .argument('<audio>', 'audio file: wav, flac, ogg, mp3, webm or mp4 (the last ones need ffmpeg)')
      .option('--json', 'print one JSON object: text, engine, fallbacks and the parsed command')
      .option('--engines <ids>', 'engines to try in order, comma-separated', defaultEngines())
      .option('--dictation', 'free text with the general model instead of the project command vocabulary'),
  ).action(
    action(
      async (
        audioPath: string,
        options: { project: string; json?: boolean; engines: string; dictation?: boolean },
      ) => {
        const audio = await readFile(audioPath).catch((error: NodeJS.ErrnoException) => {
          throw new RalexError('bad_request', `Cannot read ${audioPath}: ${error.code ?? error.message}`);
        });
        const [{ parseCommand }, { createFileIndex }, { createTranscriber }] = await Promise.all([
          import('../../pipeline/parse/parse-command.js'),
          import('../../project/file-index.js'),
          import('../../voice/transcriber.js'),
        ]);
        const { readSpeech } = await import('../../pipeline/parse/read-speech.js');
        const root = path.resolve(options.project);
        const files = await createFileIndex(root).list();
        const transcriber = createTranscriber({
          engines: options.engines
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean),
          pocketsphinx: {
            cacheDir: path.join(ralexPaths(root).cacheDir, 'voice'),
            files: () => files,
            readSpeech,
          },
          openai: process.env.OPENAI_API_KEY
            ? {
                baseURL: process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
                apiKey: process.env.OPENAI_API_KEY,
                model: process.env.RALEX_TRANSCRIPTION_MODEL ?? 'whisper-1',
              }
            : undefined,
        });
        try {
          const result = await transcriber.transcribe(audio, {
            mode: options.dictation ? 'dictation' : 'command',
          });
          if (!options.json) {
            process.stdout.write(`${result.text}\n`);
            return;
          }
          const parsed = parseCommand(result.text, { files });
          const command = {
            intent: parsed.intent,
            files: parsed.files,
            autoSubmit: parsed.autoSubmit,
            trigger: parsed.trigger,
          };
          process.stdout.write(`${JSON.stringify({ ...result, command, mentions: parsed.mentions })}\n`);
        } finally {
          await transcriber.close();
        }
      },
    ),
  );
}

function defaultEngines(): string {
  return process.env.OPENAI_API_KEY ? 'pocketsphinx,openai' : 'pocketsphinx';
}
