import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy, type Policy } from './policy.js';
import { emptySecurityRules } from './security-rules.js';

let base: string;
let policy: Policy;

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-tools-')));
  mkdirSync(join(base, 'project', 'src'), { recursive: true });
  policy = await createPolicy({
    projectRoot: join(base, 'project'),
    rules: emptySecurityRules(),
    home: join(base, 'home'),
  });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('checkTool', () => {
  it('allows reading, listing, searching and writing inside the project', () => {
    expect(policy.checkTool('read_file', { path: 'src/a.ts', offset: 0, limit: 10 }).decision).toBe('allow');
    expect(policy.checkTool('list_directory', { path: '.' }).decision).toBe('allow');
    expect(policy.checkTool('search_files', { pattern: 'TODO', glob: 'src/**/*.ts' }).decision).toBe('allow');
    expect(policy.checkTool('write_file', { path: 'src/b.ts', content: 'x' }).decision).toBe('allow');
    expect(policy.checkTool('edit_file', { path: 'src/b.ts', old_text: 'x', new_text: 'y' }).decision).toBe(
      'allow',
    );
  });

  it('asks before deleting and denies deleting outside the project', () => {
    expect(policy.checkTool('delete_file', { path: 'src/b.ts' }).rule).toBe('default:tool-delete-file');
    expect(policy.checkTool('delete_file', { path: '../x' }).rule).toBe('hard:outside-project');
  });

  it('routes paths to the path check and commands to the shell check', () => {
    expect(policy.checkTool('read_file', { path: '/etc/passwd' }).decision).toBe('deny');
    expect(policy.checkTool('read_file', { path: '.env' }).rule).toBe('default:secret-read');
    expect(policy.checkTool('write_file', { path: '.git/config', content: '' }).rule).toBe(
      'hard:git-internals',
    );
    expect(policy.checkTool('search_files', { pattern: 'x', path: '..' }).decision).toBe('deny');
    expect(policy.checkTool('search_files', { pattern: 'x', glob: '../../**' }).decision).toBe('deny');
    expect(policy.checkTool('run_command', { command: 'npm test' }).decision).toBe('allow');
    expect(policy.checkTool('run_command', { command: 'git push', timeout_ms: 1000 }).rule).toBe(
      'default:git-push',
    );
  });

  it('denies invalid arguments and asks for tools it does not know', () => {
    expect(policy.checkTool('read_file', { file: 'x' }).rule).toBe('hard:invalid-arguments');
    expect(policy.checkTool('run_command', 'ls').rule).toBe('hard:invalid-arguments');
    expect(policy.checkTool('launch_rocket', {}).decision).toBe('ask');
  });
});

describe('checkTool path errors', () => {
  it('names empty and NUL paths as invalid, not as look-alikes', () => {
    expect(policy.checkTool('read_file', { path: '' }).rule).toBe('hard:invalid-path');
    expect(policy.checkTool('read_file', { path: 'a\u0000b' }).rule).toBe('hard:invalid-path');
    expect(policy.checkTool('read_file', { path: '\uff0e\uff0e/x' }).rule).toBe('hard:unicode-lookalike');
  });
});
