import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../policy/policy.js';
import { chooseStandards } from './choose-standards.js';
import type { StandardsRequest } from './request-profile.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A project and a home folder in a temp dir, with the files given (paths starting `~/` go in the home). */
async function setup(files: Record<string, string>) {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'ralex-standards-')));
  dirs.push(base);
  const root = join(base, 'project');
  const home = join(base, 'home');
  await mkdir(root, { recursive: true });
  await mkdir(home, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    const abs = path.startsWith('~/') ? join(home, path.slice(2)) : join(root, path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, text);
  }
  const policy = await createPolicy({
    projectRoot: root,
    shellParser: 'on-demand',
    trustFile: join(base, 'trust.json'),
    home,
  });
  const choose = (req: Partial<StandardsRequest> & { request: string }) =>
    chooseStandards(
      { intent: 'fix_bug', complexity: 3, files: [], preferences: [], ...req },
      {
        root,
        home,
        canRead: (p) => policy.checkPath(p, { write: false }).decision === 'allow',
        profile: 'default',
        builtin: true,
        agentOs: true,
        claude: true,
      },
    );
  return { root, home, choose };
}

const sources = (c: Awaited<ReturnType<Awaited<ReturnType<typeof setup>>['choose']>>) =>
  c.selected.map((s) => s.standard.source);
const reasonsOf = (c: Awaited<ReturnType<Awaited<ReturnType<typeof setup>>['choose']>>, source: string) =>
  c.selected.find((s) => s.standard.source === source)?.reasons ?? [];

describe('standards for three languages', () => {
  it('a TypeScript React project gets the TypeScript default and its own React standard, with reasons', async () => {
    const p = await setup({
      'package.json': JSON.stringify({
        dependencies: { react: '18.2.0' },
        devDependencies: { typescript: '5.4.0' },
      }),
      'src/App.tsx': 'export function App() { return null; }\n',
      '.ralex/standards/react-components.md':
        '---\ndescription: Function components with hooks, props typed\nframeworks: [react]\n---\n# React components\n\n- Function components only.\n',
      '.ralex/standards/django-views.md':
        '---\nframeworks: [django]\n---\n# Django views\n\n- Class-based views.\n',
    });
    const c = await p.choose({ request: 'fix the App component', files: ['src/App.tsx'] });
    expect(sources(c)).toEqual(
      expect.arrayContaining([
        'builtin:typescript',
        '.ralex/standards/react-components.md',
        'builtin:changes',
      ]),
    );
    expect(sources(c)).not.toContain('builtin:python');
    expect(sources(c)).not.toContain('builtin:javascript');
    expect(reasonsOf(c, '.ralex/standards/react-components.md')).toContain(
      'for react (declared in package.json)',
    );
    expect(reasonsOf(c, 'builtin:typescript')).toContain('for TypeScript: src/App.tsx');
    expect(c.skipped).toContainEqual(
      expect.objectContaining({
        source: '.ralex/standards/django-views.md',
        reason: expect.stringContaining('do not declare'),
      }),
    );
  });

  it('a Python Django project gets the Python default and its Agent OS standards; complexity 7 adds testing and error handling', async () => {
    const p = await setup({
      'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["django>=5", "pytest"]\n',
      'shop/views.py': 'def index(request):\n    pass\n',
      'agent-os/standards/backend/python-style.md': '# Python style\n\nUse black and type hints.\n',
      'agent-os/standards/testing/test-writing.md':
        '# Test writing\n\nPytest with fixtures; one behaviour per test.\n',
    });
    const simple = await p.choose({ request: 'fix the index view', files: ['shop/views.py'] });
    expect(sources(simple)).toContain('agent-os/standards/backend/python-style.md');
    // The project's own Python standard takes the place of Ralex's default for Python.
    expect(sources(simple)).not.toContain('builtin:python');
    expect(reasonsOf(simple, 'agent-os/standards/backend/python-style.md')).toContain(
      'for Python: shop/views.py',
    );
    expect(sources(simple)).not.toContain('builtin:testing');
    expect(sources(simple)).not.toContain('agent-os/standards/testing/test-writing.md');
    const complex = await p.choose({
      request: 'rework the checkout flow of the index view',
      files: ['shop/views.py'],
      complexity: 7,
    });
    // The project's own testing standard replaces Ralex's default; error handling has no project standard, so the default comes.
    expect(sources(complex)).toContain('agent-os/standards/testing/test-writing.md');
    expect(sources(complex)).toContain('builtin:error-handling');
    expect(sources(complex)).not.toContain('builtin:testing');
    expect(complex.skipped).toContainEqual(
      expect.objectContaining({
        source: 'builtin:testing',
        reason: 'agent-os/standards/testing/test-writing.md covers it',
      }),
    );
    expect(reasonsOf(complex, 'builtin:error-handling')).toContain(
      'complexity 7 of 10: error handling matters',
    );
  });

  it('a Go project gets the Go default; a security-sensitive request adds security; an explanation gets no defaults', async () => {
    const p = await setup({
      'go.mod': 'module example.com/api\n\ngo 1.21\n\nrequire github.com/gin-gonic/gin v1.9.1\n',
      'auth/login.go': 'package auth\n\nfunc Login() {}\n',
    });
    const c = await p.choose({
      request: 'fix the password check in the login handler',
      files: ['auth/login.go'],
    });
    expect(sources(c)).toEqual(expect.arrayContaining(['builtin:go', 'builtin:security']));
    expect(reasonsOf(c, 'builtin:security')[0]).toMatch(/^security-sensitive: .*password/);
    const explain = await p.choose({
      request: 'explain the login handler',
      intent: 'explain',
      files: ['auth/login.go'],
    });
    expect(sources(explain)).toEqual([]);
  });

  it('a preference from user_patterns.md is a reason', async () => {
    const p = await setup({
      'tests/test_app.py': 'def test_x():\n    assert True\n',
      '.ralex/standards/pytest.md':
        '---\ntopics: [testing]\nlanguages: [python]\n---\n# Pytest\n\nUse pytest fixtures, never unittest classes.\n',
    });
    const c = await p.choose({
      request: 'add tests for the app',
      intent: 'test',
      files: ['tests/test_app.py'],
      preferences: ['I prefer pytest over unittest'],
    });
    expect(reasonsOf(c, '.ralex/standards/pytest.md')).toEqual(
      expect.arrayContaining([
        'the request is about tests',
        'your preference: "I prefer pytest over unittest"',
      ]),
    );
  });
});

describe('Agent OS layouts and Claude rules', () => {
  it('v3: index.yml descriptions (both shapes Agent OS writes) are the standards descriptions; climbing paths are ignored', async () => {
    const list = await setup({
      'agent-os/standards/index.yml':
        'version: 1\nstandards:\n  - path: "api/error-handling.md"\n    description: "Error codes and safe API error responses"\n  - path: "../../outside.md"\n    description: "nope"\n',
      'agent-os/standards/api/error-handling.md': '# Errors\n\nUse AUTH_001 style codes.\n',
      'src/api.ts': 'export const x = 1;\n',
    });
    const c = await list.choose({ request: 'fix the api error responses', files: ['src/api.ts'] });
    const s = c.selected.find((x) => x.standard.source === 'agent-os/standards/api/error-handling.md')!;
    expect(s.standard.origin).toBe('agent-os-v3');
    expect(s.standard.description).toBe('Error codes and safe API error responses');
    expect(s.reasons).toContain('matches the request: api, responses');
    const nested = await setup({
      'agent-os/standards/index.yml':
        'root:\n  naming:\n    description: File and variable naming\napi:\n  response-format:\n    description: Response envelope\n',
      'agent-os/standards/naming.md': '# Naming\n\nkebab-case files.\n',
      'agent-os/standards/api/response-format.md': '# Responses\n\n{ success, data, error }\n',
    });
    const all = await nested.choose({ request: 'fix the response envelope format', files: [] });
    const byId = new Map(all.selected.map((x) => [x.standard.id, x.standard.description]));
    expect(byId.get('agent-os-v3:api/response-format.md')).toBe('Response envelope');
  });

  it('v3 domain folders (as in a real Go database repo): a standard waits for the request to point at it; "hash join" is not security', async () => {
    const p = await setup({
      'agent-os/standards/index.yml':
        'parser:\n  reserved-words: SQL keyword tokenizer rules and how to add new keywords\n  state-machine: Two-level dispatch pattern for statement sub-parsers\nquery-execution:\n  hash-join-selection: Hash join vs nested-loop selection\n  plan-pipeline: Channel-based scan to consumer pipeline\n',
      'agent-os/standards/parser/reserved-words.md': '# Reserved Words Tokenizer\n\nLongest match first.\n',
      'agent-os/standards/parser/state-machine.md':
        '# Two-Level State Machine Dispatch\n\nOne step per token.\n',
      'agent-os/standards/query-execution/hash-join-selection.md':
        '# Hash Join Algorithm Selection\n\n1M threshold.\n',
      'agent-os/standards/query-execution/plan-pipeline.md': '# Query Plan Pipeline\n\nChannels.\n',
      'agent-os/standards/naming.md': '# Naming\n\nShort names.\n',
      'go.mod': 'module example.com/minisql\n\ngo 1.22\n',
      'internal/minisql/hash_join.go': 'package minisql\n',
      'internal/minisql/query_plan.go': 'package minisql\n',
    });
    const c = await p.choose({
      request: 'fix the hash join selection for right joins',
      files: ['internal/minisql/hash_join.go', 'internal/minisql/query_plan.go'],
    });
    expect(sources(c)).toContain('agent-os/standards/query-execution/hash-join-selection.md');
    expect(reasonsOf(c, 'agent-os/standards/query-execution/hash-join-selection.md')).toContain(
      'matches the request: hash, join, selection',
    );
    // Pointed at by a file in play, not by the request's words: said so, and weighed less.
    expect(reasonsOf(c, 'agent-os/standards/query-execution/plan-pipeline.md')).toContain(
      'matches the files in play: query, plan',
    );
    expect(sources(c)).not.toContain('builtin:security');
    expect(sources(c)).not.toContain('agent-os/standards/parser/reserved-words.md');
    expect(sources(c)).not.toContain('agent-os/standards/parser/state-machine.md');
    // A standard at the top of the folder, on nothing in particular, is general.
    expect(reasonsOf(c, 'agent-os/standards/naming.md')[0]).toMatch(
      /^a general standard of the project|^how code is written here/,
    );
    const parser = await p.choose({ request: 'add the RETURNING keyword to the parser', files: [] });
    expect(reasonsOf(parser, 'agent-os/standards/parser/reserved-words.md')).toContain(
      'matches the request: keyword, parser',
    );
    const login = await p.choose({ request: 'fix the password hashing in login', files: [] });
    expect(sources(login)).toContain('builtin:security');
  });

  it('v2: the home profile named in ~/agent-os/config.yml, following inherits_from (the child wins); v1: ~/.agent-os/standards', async () => {
    const p = await setup({
      '~/agent-os/config.yml': 'profile: rails\n',
      '~/agent-os/profiles/rails/profile-config.yml': 'inherits_from: default\n',
      '~/agent-os/profiles/rails/standards/global/conventions.md':
        '# Conventions (rails)\n\nRails conventions.\n',
      '~/agent-os/profiles/default/standards/global/conventions.md':
        '# Conventions (default)\n\nGeneric conventions.\n',
      '~/agent-os/profiles/default/standards/testing/test-writing.md': '# Test writing\n\nWrite tests.\n',
      '~/.agent-os/standards/code-style/javascript-style.md': '# JavaScript style\n\nSemicolons.\n',
      'app.js': 'module.exports = 1;\n',
    });
    const c = await p.choose({ request: 'fix the app', files: ['app.js'] });
    const v2 = c.selected.filter((s) => s.standard.origin === 'agent-os-v2');
    expect(v2.map((s) => s.standard.source)).toEqual([
      '~/agent-os/profiles/rails/standards/global/conventions.md',
    ]);
    expect(c.selected.find((s) => s.standard.origin === 'agent-os-v1')?.reasons).toContain(
      'for JavaScript: app.js',
    );
    // The user's JavaScript standard replaces Ralex's default for JavaScript.
    expect(sources(c)).not.toContain('builtin:javascript');
  });

  it('Claude rules apply by their paths globs; rules without paths apply to every request', async () => {
    const p = await setup({
      '.claude/rules/api.md':
        '---\npaths:\n  - "src/api/**/*.ts"\n---\n# API rules\n\nValidate every body with zod.\n',
      '.claude/rules/general.md': '# General\n\nNo default exports.\n',
      'src/api/users.ts': 'export const users = [];\n',
      'src/ui/button.ts': 'export const b = 1;\n',
    });
    const api = await p.choose({ request: 'explain users', intent: 'explain', files: ['src/api/users.ts'] });
    expect(sources(api)).toEqual(
      expect.arrayContaining(['.claude/rules/api.md', '.claude/rules/general.md']),
    );
    expect(reasonsOf(api, '.claude/rules/api.md')).toContain(
      'applies to src/api/users.ts (paths: src/api/**/*.ts)',
    );
    const ui = await p.choose({ request: 'fix the button', files: ['src/ui/button.ts'] });
    expect(sources(ui)).not.toContain('.claude/rules/api.md');
    expect(ui.skipped).toContainEqual(
      expect.objectContaining({
        source: '.claude/rules/api.md',
        reason: 'scoped to src/api/**/*.ts; no file in play matches',
      }),
    );
  });
});
