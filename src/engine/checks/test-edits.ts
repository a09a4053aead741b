import type { FileChange } from '../checkpoint/checkpoint.js';
import { isTestFile } from './test-targets.js';

/** Edits of a change that could make the tests say less than they did. */
export interface TestEdits {
  /** Existing test files with modified or deleted lines, or deleted, or with a test switched off or short-circuited. */
  testFiles: string[];
  /** Files that decide what the test command runs: package.json scripts.test, runner configs, conftest.py, the Makefile test target. */
  runnerFiles: string[];
  /** One line per finding, for the approval and the reply. */
  details: string[];
}

/** Reads a file as it was at the checkpoint (`before`) or is now (`after`); null when it does not exist. */
export type ReadSide = (path: string, side: 'before' | 'after') => Promise<string | null>;

/** Runner config files whose every change counts (added, modified or deleted). */
const RUNNER_CONFIG =
  /(?:^|\/)(?:(?:jest|vitest|vitest\.workspace|ava|playwright|karma|cypress)\.config\.[cm]?[jt]s(?:on)?|\.mocharc(?:\.[a-z]+)?|pytest\.ini|conftest\.py|tox\.ini|noxfile\.py|\.nycrc(?:\.json)?|jest\.setup\.[cm]?[jt]s|setup(?:Tests|-tests)\.[cm]?[jt]s)$/;
/** Config files shared with other tools: only their test sections count. */
const SECTIONED: Record<string, (text: string) => string> = {
  'pyproject.toml': (text) => tomlSections(text, /^\[tool\.(?:pytest|coverage)[.\]]/),
  'setup.cfg': (text) => tomlSections(text, /^\[(?:tool:pytest|pytest)\]/),
  'Cargo.toml': (text) => tomlSections(text, /^\[\[test\]\]|^\[lib\]|^\[\[bench\]\]/),
  Makefile: makeTestTarget,
  'vite.config.ts': viteTestBlock,
  'vite.config.js': viteTestBlock,
  'vite.config.mjs': viteTestBlock,
};
/** Lines added to a test file that switch tests off, narrow the run, or end it early. */
const DISABLING = new RegExp(
  [
    String.raw`\b(?:it|test|describe|suite|context)\.(?:skip|only|todo)\b`,
    String.raw`\b[xf](?:it|describe|test)\s*\(`,
    String.raw`@(?:pytest\.mark\.(?:skip|xfail)|unittest\.skip)`,
    String.raw`\b(?:pytest\.skip|self\.skipTest|t\.Skip(?:Now|f)?)\s*\(`,
    String.raw`#\[ignore\]`,
    String.raw`\bprocess\.exit(?:Code\s*=|\s*\()`,
    String.raw`\b(?:sys|os)\._?exit\s*\(`,
    String.raw`\b(?:assert|expect|should|chai)(?:\.\w+)*\s*=[^=>]`,
  ].join('|'),
);

/** Lines of a new test file that would keep the other tests from running. */
const NARROWING = new RegExp(
  [
    String.raw`\b(?:it|test|describe|suite|context)\.only\b`,
    String.raw`\bf(?:it|describe)\s*\(`,
    String.raw`\bprocess\.exit(?:Code\s*=|\s*\()`,
    String.raw`\b(?:sys|os)\._?exit\s*\(`,
  ].join('|'),
);

/**
 * Finds the edits in a change since its checkpoint that could weaken the tests: lines modified
 * or deleted in an existing test file, a deleted test file, a test switched off (`.skip`,
 * `.only`, `@pytest.mark.skip`, `#[ignore]`), ended early (`process.exit`) or an assertion
 * replaced; and changes to what the test command runs (package.json `scripts.test`/`pretest`/
 * `posttest` and runner sections, runner configs, conftest.py, the Makefile `test` target,
 * a script those name). New test files and new tests need no approval.
 */
export async function findTestEdits(
  change: { files: readonly FileChange[]; patch: string },
  read: ReadSide,
): Promise<TestEdits> {
  const patches = splitPatch(change.patch);
  const testFiles = new Set<string>();
  const runnerFiles = new Set<string>();
  const details: string[] = [];
  const [pkgText, makeText] = await Promise.all([read('package.json', 'before'), read('Makefile', 'before')]);
  const pkgBefore = parseJson(pkgText);
  const makeBefore = makeTestTarget(makeText ?? '');
  const testCommandText = `${npmTestScripts(pkgBefore)}\n${makeBefore}`;
  for (const file of change.files) {
    const { path, status } = file;
    const base = path.split('/').pop()!;
    if (isTestFile(path) && status !== 'added' && !RUNNER_CONFIG.test(path)) {
      const lines = patches.get(path) ?? { removed: [], added: [] };
      if (status === 'deleted') {
        testFiles.add(path);
        details.push(`${path}: the test file is deleted`);
      } else if (lines.removed.length) {
        testFiles.add(path);
        details.push(`${path}: ${lines.removed.length} existing line(s) changed or removed`);
      } else if (lines.added.some((l) => DISABLING.test(l))) {
        testFiles.add(path);
        details.push(`${path}: a test is switched off, narrowed or cut short`);
      }
      continue;
    }
    if (
      isTestFile(path) &&
      status === 'added' &&
      (patches.get(path)?.added ?? []).some((l) => NARROWING.test(l))
    ) {
      runnerFiles.add(path);
      details.push(`${path}: a new test file narrows the run (.only) or ends it early`);
      continue;
    }
    if (RUNNER_CONFIG.test(path)) {
      runnerFiles.add(path);
      details.push(`${path}: test runner configuration ${status}`);
      continue;
    }
    if (base === 'package.json' && path === 'package.json') {
      const after = parseJson(await read(path, 'after'));
      const changed = changedTestFields(pkgBefore, after);
      if (changed.length) {
        runnerFiles.add(path);
        details.push(`package.json: ${changed.join(', ')} changed`);
      }
      continue;
    }
    const section = SECTIONED[path];
    if (section) {
      const before = section((await read(path, 'before')) ?? '');
      const after = section((await read(path, 'after')) ?? '');
      if (before !== after) {
        runnerFiles.add(path);
        details.push(`${path}: its test section changed`);
      }
      continue;
    }
    if (mentions(testCommandText, path)) {
      runnerFiles.add(path);
      details.push(`${path}: run by the test command, ${status}`);
    }
  }
  return { testFiles: [...testFiles], runnerFiles: [...runnerFiles], details };
}

/** Whether a change has any edit that needs the user's approval before it counts as verified. */
export function weakensTests(edits: TestEdits): boolean {
  return edits.testFiles.length > 0 || edits.runnerFiles.length > 0;
}

/** Per file of a unified diff: the removed and the added lines (without their `-`/`+`). */
export function splitPatch(patch: string): Map<string, { removed: string[]; added: string[] }> {
  const files = new Map<string, { removed: string[]; added: string[] }>();
  let current: { removed: string[]; added: string[] } | null = null;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const header = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
    if (header) {
      current = { removed: [], added: [] };
      files.set(header[2]!, current);
      if (header[1] !== header[2]) files.set(header[1]!, current);
      inHunk = false;
      continue;
    }
    if (!current) continue;
    if (line.startsWith('@@')) inHunk = true;
    else if (inHunk && line.startsWith('-')) current.removed.push(line.slice(1));
    else if (inHunk && line.startsWith('+')) current.added.push(line.slice(1));
  }
  return files;
}

type Json = Record<string, unknown> | null;

function parseJson(text: string | null): Json {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return { unparseable: text };
  }
}

/** package.json fields that decide what `npm test` runs. */
function changedTestFields(before: Json, after: Json): string[] {
  const scripts = (pkg: Json) =>
    pkg?.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Record<string, unknown>) : {};
  const names = new Set(
    [...Object.keys(scripts(before)), ...Object.keys(scripts(after))].filter((n) =>
      /^(?:pre|post)?test(?::|$)/.test(n),
    ),
  );
  // Scripts the test script runs by name (`npm run unit`, `yarn unit`).
  for (const pkg of [before, after])
    for (const m of String(scripts(pkg).test ?? '').matchAll(
      /\b(?:npm run|yarn|pnpm(?: run)?)\s+([\w:.-]+)/g,
    ))
      names.add(m[1]!);
  const changed = [...names]
    .filter((n) => JSON.stringify(scripts(before)[n]) !== JSON.stringify(scripts(after)[n]))
    .map((n) => `scripts.${n}`);
  for (const key of ['jest', 'mocha', 'ava', 'vitest', 'c8', 'nyc', 'type', 'unparseable'])
    if (JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key]))
      changed.push(key === 'unparseable' ? 'the whole file (not valid JSON)' : key);
  return changed;
}

function npmTestScripts(pkg: Json): string {
  const scripts =
    pkg?.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Record<string, unknown>) : {};
  return Object.entries(scripts)
    .filter(([name]) => /^(?:pre|post)?test(?::|$)/.test(name))
    .map(([, v]) => String(v))
    .join('\n');
}

/** The `test:` rule of a Makefile: its target line and recipe. */
function makeTestTarget(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^test\s*:/.test(l));
  if (start < 0) return '';
  const rule = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('\t') && line.trim() !== '') break;
    rule.push(line);
  }
  return rule.join('\n').trimEnd();
}

/** The sections of an ini/toml file whose header matches. */
function tomlSections(text: string, header: RegExp): string {
  const out: string[] = [];
  let keep = false;
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) keep = header.test(line.trim());
    if (keep) out.push(line);
  }
  return out.join('\n').trim();
}

/** Lines of a vite config that mention `test` (vitest reads its settings from there). */
function viteTestBlock(text: string): string {
  return text
    .split('\n')
    .filter((l) => /\btest\b|include|exclude|setupFiles|environment/.test(l))
    .join('\n');
}

/** Whether a command text names a project path (a script it runs). */
function mentions(text: string, path: string): boolean {
  if (!text.trim()) return false;
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[\\s'"=/.])${escaped}(?:$|[\\s'";&|])`, 'm').test(text);
}
