import { join } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { followImports } from './claude-imports.js';
import { splitFrontmatter } from './frontmatter.js';
import { leftOut, MAX_STANDARD_BYTES, markdownFiles, readStandard } from './read-standard.js';
import type { Standard } from './standard.js';
import { describe, standardTags, titleOf } from './standard-tags.js';

/** Files Claude Code reads as the project's memory, whose `@imports` Ralex follows. */
const CLAUDE_FILES = ['CLAUDE.md', '.claude/CLAUDE.md', 'CLAUDE.local.md'];
/** Files the context stage quotes whole as the project's instructions (context/build-context.ts). */
const INSTRUCTIONS = new Set(['AGENTS.md', 'CLAUDE.md']);

/**
 * Claude-style rules: `.claude/rules/**\/*.md` of the project and of the user (`~/.claude/rules`),
 * each scoped by its frontmatter `paths` globs or applying to every request without them; and the
 * files the project's CLAUDE.md files import with `@path` (CLAUDE.md itself is read as the
 * project's instructions; `.claude/CLAUDE.md` and `CLAUDE.local.md` come as standards).
 */
export async function claudeStandards(
  root: string,
  home: string,
  guard: ReadGuard,
  notes: string[],
): Promise<Standard[]> {
  const out: Standard[] = [];
  for (const [dir, shown] of [
    [join(root, '.claude', 'rules'), '.claude/rules'],
    [join(home, '.claude', 'rules'), '~/.claude/rules'],
  ] as const) {
    for (const f of await markdownFiles(dir)) {
      const s = await readStandard(
        join(dir, f),
        `${shown}/${f}`,
        'claude-rules',
        `${shown}/${f}`,
        guard,
        notes,
      );
      if (s) out.push({ ...s, always: s.always || s.paths.length === 0 });
    }
  }
  for (const file of CLAUDE_FILES) {
    // Read further than a standard may be, so imports near the end of a long CLAUDE.md are still found.
    const r = await readGuarded(join(root, file), guard, 256 * 1024);
    if (!r.ok) continue;
    if (file !== 'CLAUDE.md') {
      const cut = r.cut || Buffer.byteLength(r.text) > MAX_STANDARD_BYTES;
      const text = cut ? Buffer.from(r.text).subarray(0, MAX_STANDARD_BYTES).toString('utf8') : r.text;
      const body = splitFrontmatter(text).body.trim();
      if (body) out.push(fromText(file, file, cut ? `${body}\n${leftOut(file)}` : body, []));
    }
    for (const imported of await followImports(file, r.text, guard, notes)) {
      if (out.some((s) => s.id === `claude-import:${imported.path}`)) continue;
      // `@AGENTS.md` (a common CLAUDE.md) is in the prompt already, as the project's instructions.
      if (INSTRUCTIONS.has(imported.path)) continue;
      const fm = splitFrontmatter(imported.text);
      const body = fm.body.trim();
      const shown = `${imported.path} (imported by ${imported.via.join(' → ')})`;
      if (body)
        out.push(
          fromText(
            imported.path,
            shown,
            imported.cut ? `${body}\n${leftOut(shown)}` : body,
            imported.via,
            fm.data,
          ),
        );
    }
  }
  return out;
}

function fromText(
  path: string,
  shown: string,
  body: string,
  via: string[],
  data: Record<string, unknown> = {},
): Standard {
  const title = titleOf(body, path);
  return {
    id: via.length ? `claude-import:${path}` : `claude-rules:${path}`,
    title,
    description: describe(body, data),
    source: shown,
    origin: via.length ? 'claude-import' : 'claude-rules',
    ...standardTags(path, title, data),
    paths: [],
    always: true,
    content: body,
  };
}
