import type { Command } from 'commander';
import type { MemoryEntry, MemoryFileName } from '../../context/memory/memory-entry.js';
import type { MemoryStore } from '../../context/memory/memory-store.js';
import { RalexError } from '../../errors.js';
import { action, EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

type Options = { project: string; json?: boolean; file?: string };

const FILES = [
  'user_patterns',
  'conversation_history',
  'file_relationships',
  'project_understanding',
] as const;

async function openMemory(project: string): Promise<MemoryStore> {
  const [{ requireGitProject }, { ralexPaths }, { createMemoryStore }] = await Promise.all([
    import('../../project/open-project.js'),
    import('../../project/ralex-paths.js'),
    import('../../context/memory/memory-store.js'),
  ]);
  const { root } = await requireGitProject(project);
  return createMemoryStore(ralexPaths(root).contextDir);
}

/**
 * `ralex memory [show]`, `ralex memory remember "<text>"`, `ralex memory forget "<text>"`,
 * `ralex memory why "<text>"`: what Ralex remembers in `.ralex/context/`, and why.
 */
export function registerMemoryCommand(program: Command): void {
  const memory = program
    .command('memory')
    .description('show and edit what Ralex remembers (.ralex/context/)');
  withProjectOption(
    memory
      .command('show', { isDefault: true })
      .description('list what is remembered, with when and from what')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (options: Options) => {
      const store = await openMemory(options.project);
      const entries = await store.list();
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ dir: store.dir, entries })}\n`);
        return;
      }
      if (entries.length === 0) {
        process.stdout.write(
          `Nothing remembered yet in ${store.dir}.\n  Say "remember that …" in a command, or: ralex memory remember "prefers pytest over unittest"\n`,
        );
        return;
      }
      for (const file of FILES) {
        const mine = entries.filter((e) => e.file === file);
        if (mine.length === 0) continue;
        process.stdout.write(`\n${file}.md (${mine.length})\n`);
        for (const e of mine) process.stdout.write(`  - ${e.text}\n      ${describe(e)}\n`);
      }
    }),
  );
  withProjectOption(
    memory
      .command('remember')
      .description('remember something (a preference, a fact about the project)')
      .argument('<text...>', 'what to remember')
      .option('--file <name>', `which memory file (${FILES.join(', ')})`, 'user_patterns')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (words: string[], options: Options) => {
      const file = options.file as MemoryFileName;
      if (!(FILES as readonly string[]).includes(file)) {
        throw new RalexError('bad_request', `There is no memory file "${options.file}".`, {
          hint: `Use --file with one of: ${FILES.join(', ')}.`,
        });
      }
      const store = await openMemory(options.project);
      const r = await store.remember(
        file,
        words.join(' '),
        `ralex memory remember on ${new Date().toISOString().slice(0, 10)}`,
        {
          explicit: true,
        },
      );
      if (options.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else if (r.status === 'refused' || r.status === 'forgotten before')
        process.stderr.write(`ralex: ${r.reason}\n`);
      else
        process.stdout.write(
          `${r.status === 'remembered' ? 'Remembered' : 'Already remembered'} in ${file}.md: ${r.entry.text}\n`,
        );
      process.exitCode = r.status === 'refused' ? EXIT.failed : EXIT.ok;
    }),
  );
  withProjectOption(
    memory
      .command('forget')
      .description('forget the entries that contain these words (or have this id)')
      .argument('<text...>', 'words of the entry, or its id')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (words: string[], options: Options) => {
      const store = await openMemory(options.project);
      const removed = await store.forget(words.join(' '));
      if (options.json) process.stdout.write(`${JSON.stringify({ forgotten: removed })}\n`);
      else if (removed.length === 0)
        process.stdout.write(`Nothing remembered matches "${words.join(' ')}".\n`);
      else for (const e of removed) process.stdout.write(`Forgot (${e.file}.md): ${e.text}\n`);
    }),
  );
  withProjectOption(
    memory
      .command('why')
      .description('explain when and from what something was learned')
      .argument('<text...>', 'words of the entry, or its id')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (words: string[], options: Options) => {
      const store = await openMemory(options.project);
      const q = words.join(' ').toLowerCase();
      const found = (await store.list()).filter(
        (e) => e.id === words.join(' ') || e.text.toLowerCase().includes(q),
      );
      if (options.json) process.stdout.write(`${JSON.stringify({ entries: found })}\n`);
      else if (found.length === 0) process.stdout.write(`Nothing remembered matches "${words.join(' ')}".\n`);
      else for (const e of found) process.stdout.write(`${e.file}.md: ${e.text}\n  ${describe(e)}\n`);
    }),
  );
}

function describe(e: MemoryEntry): string {
  const when = e.at ? `learned ${e.at.slice(0, 16).replace('T', ' ')}` : 'no date';
  const edited = e.at && !e.byRalex ? '; edited by you since (your text is kept)' : '';
  return `${when}, from ${e.from}${edited} [${e.id}]`;
}
