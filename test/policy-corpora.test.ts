import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy, type Policy } from '../src/policy/policy.js';
import { emptySecurityRules } from '../src/policy/security-rules.js';

/** Reads a corpus: one entry per line, `#` comments and blank lines skipped. */
function corpus(name: string): string[] {
  return readFileSync(join(import.meta.dirname, 'corpora', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** A corpus line with its expected decision: `deny  rm -rf /` (the decision, spaces, the command). */
function decidedCorpus(name: string): { expected: 'ask' | 'deny'; command: string; line: number }[] {
  return readFileSync(join(import.meta.dirname, 'corpora', name), 'utf8')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim() !== '' && !text.startsWith('#'))
    .map(({ text, line }) => {
      const m = /^(ask|deny) +(\S.*)$/.exec(text);
      if (!m) throw new Error(`${name}:${line}: expected "ask <command>" or "deny <command>", got: ${text}`);
      return { expected: m[1] as 'ask' | 'deny', command: m[2]!, line };
    });
}

let base: string;
let policy: Policy;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'ralex-corpora-'));
  const root = join(base, 'project');
  mkdirSync(root);
  mkdirSync(join(base, 'home'));
  execFileSync('git', ['init', '-q', root]);
  policy = await createPolicy({ projectRoot: root, rules: emptySecurityRules(), home: join(base, 'home') });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('shell corpora', () => {
  it('has at least 300 dangerous and 300 ordinary commands, the dangerous ones of both kinds', () => {
    const dangerous = decidedCorpus('dangerous-commands.txt');
    expect(dangerous.length).toBeGreaterThanOrEqual(300);
    expect(dangerous.filter((d) => d.expected === 'deny').length).toBeGreaterThanOrEqual(100);
    expect(dangerous.filter((d) => d.expected === 'ask').length).toBeGreaterThanOrEqual(100);
    expect(corpus('ordinary-commands.txt').length).toBeGreaterThanOrEqual(300);
  });

  it('decides every dangerous command exactly as the corpus expects (deny or ask, never allow)', () => {
    const differs = decidedCorpus('dangerous-commands.txt')
      .map((c) => ({ ...c, d: policy.checkShell(c.command) }))
      .filter(({ expected, d }) => d.decision !== expected)
      .map(
        ({ line, expected, command, d }) =>
          `line ${line}: expected ${expected}, got ${d.decision} (${d.rule})  ${command}`,
      );
    expect(differs).toEqual([]);
  });

  it('asks for at most 1% of ordinary commands and denies none', () => {
    const lines = corpus('ordinary-commands.txt');
    const results = lines.map((c) => ({ c, d: policy.checkShell(c) }));
    const denied = results.filter(({ d }) => d.decision === 'deny').map(({ c, d }) => `${c}  →  ${d.rule}`);
    const asked = results.filter(({ d }) => d.decision === 'ask').map(({ c, d }) => `${c}  →  ${d.rule}`);
    expect(denied).toEqual([]);
    expect(asked.length, asked.join('\n')).toBeLessThanOrEqual(Math.floor(lines.length * 0.01));
  });
});

describe('path-escape corpus', () => {
  it('denies every escape for reading and for writing', () => {
    const escapes = corpus('path-escapes.txt');
    expect(escapes.length).toBeGreaterThanOrEqual(40);
    const leaks = escapes.flatMap((p) =>
      [false, true]
        .map((write) => ({ p, write, d: policy.checkPath(p, { write }) }))
        .filter(({ d }) => d.decision !== 'deny')
        .map(({ p: path, write, d }) => `${JSON.stringify(path)} write=${write} → ${d.decision} ${d.rule}`),
    );
    expect(leaks).toEqual([]);
  });

  it('denies every escape as a read_file and write_file tool call', () => {
    for (const path of corpus('path-escapes.txt')) {
      expect(policy.checkTool('read_file', { path }).decision, path).toBe('deny');
      expect(policy.checkTool('write_file', { path, content: 'x' }).decision, path).toBe('deny');
    }
  });
});
