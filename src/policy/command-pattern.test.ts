import { describe, expect, it } from 'vitest';
import { compileCommandPattern, compileCommandRegex } from './command-pattern.js';

const m = (pattern: string, line: string) => compileCommandPattern(pattern)(line.split(' '));

describe('command patterns', () => {
  it('matches the program by base name and positional words in order', () => {
    expect(m('git push', 'git push origin main')).toBe(true);
    expect(m('git push', '/usr/bin/git push')).toBe(true);
    expect(m('git push', 'git status')).toBe(false);
    expect(m('git push', 'gitx push')).toBe(false);
    expect(m('docker compose up', 'docker compose -f x.yml up -d')).toBe(true);
  });

  it('finds flags anywhere, including inside short-flag clusters and --flag=value', () => {
    expect(m('rm -r', 'rm -rf x')).toBe(true);
    expect(m('rm -r', 'rm -fR x')).toBe(false);
    expect(m('git reset --hard', 'git reset -q --hard HEAD')).toBe(true);
    expect(m('git gc --prune*', 'git gc --prune=now')).toBe(true);
    expect(m('git reset --hard', 'git reset --soft HEAD')).toBe(false);
  });

  it('supports globs and braces', () => {
    expect(m('{npm,pnpm} {install,i}', 'pnpm i lodash')).toBe(true);
    expect(m('mkfs.*', 'mkfs.ext4 /dev/sda')).toBe(true);
    expect(m('python* manage.py migrate', 'python3.12 manage.py migrate')).toBe(true);
  });

  it('tests regex rules against the words joined by spaces', () => {
    expect(compileCommandRegex('^make (deploy|release)')(['make', 'deploy'])).toBe(true);
    expect(compileCommandRegex('^make (deploy|release)')(['make', 'test'])).toBe(false);
  });
});
