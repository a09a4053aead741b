import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectTestCheck } from '../../engine/checks/detect-checks.js';
import { programmingLanguageOf } from '../index/file-kind.js';

/** Manifest files and the frameworks or tools their content reveals. */
const FRAMEWORK_HINTS: { file: string; hints: [RegExp, string][] }[] = [
  {
    file: 'package.json',
    hints: [
      [/"react"/, 'React'],
      [/"vue"/, 'Vue'],
      [/"svelte"/, 'Svelte'],
      [/"next"/, 'Next.js'],
      [/"express"/, 'Express'],
      [/"fastify"/, 'Fastify'],
      [/"vitest"/, 'Vitest'],
      [/"jest"/, 'Jest'],
      [/"typescript"/, 'TypeScript'],
      [/"vite"/, 'Vite'],
    ],
  },
  {
    file: 'pyproject.toml',
    hints: [
      [/django/i, 'Django'],
      [/flask/i, 'Flask'],
      [/fastapi/i, 'FastAPI'],
      [/pytest/i, 'pytest'],
    ],
  },
  {
    file: 'requirements.txt',
    hints: [
      [/django/i, 'Django'],
      [/flask/i, 'Flask'],
      [/pytest/i, 'pytest'],
    ],
  },
  {
    file: 'go.mod',
    hints: [
      [/gin-gonic/, 'Gin'],
      [/cobra/, 'Cobra'],
    ],
  },
  {
    file: 'Cargo.toml',
    hints: [
      [/tokio/, 'Tokio'],
      [/serde/, 'Serde'],
      [/clap/, 'clap'],
    ],
  },
  {
    file: 'Gemfile',
    hints: [
      [/rails/, 'Rails'],
      [/sinatra/, 'Sinatra'],
      [/rspec/, 'RSpec'],
    ],
  },
  {
    file: 'pom.xml',
    hints: [
      [/spring-boot/, 'Spring Boot'],
      [/junit/i, 'JUnit'],
      [/<project/, 'Maven'],
    ],
  },
  {
    file: 'build.gradle',
    hints: [
      [/spring/, 'Spring'],
      [/junit/i, 'JUnit'],
      [/./, 'Gradle'],
    ],
  },
];

/**
 * `project_understanding.md`, made from the project itself: languages (by file count), the
 * frameworks and tools its manifests name, the top-level layout, and how to test. Deterministic,
 * so it is rewritten only when one of these facts changes.
 */
export function describeProject(root: string, paths: readonly string[], testCommand?: string): string {
  const languages = new Map<string, number>();
  const folders = new Map<string, number>();
  for (const p of paths) {
    const lang = programmingLanguageOf(p);
    if (lang) languages.set(lang, (languages.get(lang) ?? 0) + 1);
    const slash = p.indexOf('/');
    if (slash > 0) folders.set(p.slice(0, slash), (folders.get(p.slice(0, slash)) ?? 0) + 1);
  }
  const frameworks = new Set<string>();
  const manifests: string[] = [];
  for (const { file, hints } of FRAMEWORK_HINTS) {
    const full = join(root, file);
    if (!existsSync(full)) continue;
    manifests.push(file);
    let text = '';
    try {
      text = readFileSync(full, 'utf8').slice(0, 200_000);
    } catch {}
    for (const [pattern, name] of hints) if (pattern.test(text)) frameworks.add(name);
  }
  const check = detectTestCheck(root, testCommand);
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  const lines = ['## Languages', ''];
  for (const [lang, n] of top(languages, 8)) lines.push(`- ${lang}: ${n} files`);
  if (languages.size === 0) lines.push('- no source files Ralex recognises yet');
  lines.push('', '## Frameworks and tools', '');
  lines.push(
    frameworks.size ? `- ${[...frameworks].sort().join(', ')}` : '- none recognised from the manifests',
  );
  if (manifests.length) lines.push(`- manifests: ${manifests.join(', ')}`);
  lines.push('', '## Layout', '');
  for (const [dir, n] of top(folders, 12)) lines.push(`- \`${dir}/\`: ${n} files`);
  lines.push(`- ${paths.length} files in all`);
  lines.push('', '## Build and test', '');
  lines.push(
    check
      ? `- tests: \`${check.command}\` (from ${check.source})`
      : '- no test command found (set checks.test_command)',
  );
  return `${lines.join('\n')}\n`;
}
