import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDecision, DETECTOR_DECISIONS } from './builtin-decisions.js';
import { DEFAULT_COMMAND_RULES } from './default-rules.js';
import { parseSecurityRules } from './load-security-rules.js';
import { findLoosening } from './rule-loosening.js';

const entries = (yaml: string) => findLoosening(parseSecurityRules(yaml)).map((l) => l.entry);

/** [the project's entry as YAML, whether it loosens the built-in rules] */
const CASES: [string, boolean][] = [
  // tools: compared with the tool's built-in baseline
  ['tools: {delete_file: allow}', true],
  ['tools: {delete_file: ask}', false],
  ['tools: {run_command: ask}', false],
  ['tools: {read_file: deny}', false],
  ['tools: {some_new_tool: allow}', true],
  // defaults: compared with the strictest decision of that rule or detector
  ['defaults: {"default:git-push": allow}', true],
  ['defaults: {"default:network": ask}', false],
  ['defaults: {"default:delete": deny}', false],
  ['defaults: {"default:dev-tcp": ask}', true],
  ['defaults: {"default:secret-exfiltration": ask}', true],
  ['defaults: {"default:secret-read": allow}', true],
  ['defaults: {"default:made-up": allow}', true],
  ['defaults: {"default:made-up": deny}', false],
  // commands: compared with what the built-in rules decide for the commands the entry matches
  ['commands: [{match: "git *", decision: ask}]', false],
  ['commands: [{match: "git status", decision: allow}]', false],
  ['commands: [{match: "npm test", decision: allow}]', false],
  ['commands: [{match: "git push", decision: allow}]', true],
  ['commands: [{match: "git *", decision: allow}]', true],
  ['commands: [{match: "{npm,pnpm} {install,i}", decision: allow}]', true],
  ['commands: [{match: "mytool", decision: allow}]', true],
  ['commands: [{match: "sudo *", decision: ask}]', true],
  ['commands: [{match: "chmod", decision: ask}]', true],
  ['commands: [{match: "rm", decision: deny}]', false],
  ['commands: [{regex: "^make (deploy|release)", decision: deny}]', false],
  ['commands: [{regex: "^npm test$", decision: allow}]', true],
  ['commands: [{regex: "^sudo", decision: ask}]', true],
  ['commands: [{regex: "^terraform", decision: ask}]', false],
  // paths: allowing writes skips the hard-link approval; reads of secret files replace the secret rules
  ['paths: [{glob: "docs/**", access: write, decision: deny}]', false],
  ['paths: [{glob: "docs/drafts/**", decision: allow}]', true],
  ['paths: [{glob: "docs/**", access: write, decision: allow}]', true],
  ['paths: [{glob: ".env.test", access: read, decision: allow}]', true],
  ['paths: [{glob: "config/**", access: read, decision: ask}]', true],
  ['paths: [{glob: "certs/*.pem", access: read, decision: ask}]', true],
  ['paths: [{glob: "**", access: read, decision: allow}]', true],
  ['paths: [{glob: "src/*.ts", access: read, decision: allow}]', false],
  ['paths: [{glob: ".env.test", access: read, decision: deny}]', false],
  // the rest
  ['writable_outside: ["/tmp/ralex-*/**"]', true],
  ['unknown_commands: deny', false],
  ['unknown_commands: ask', false],
];

describe('findLoosening', () => {
  it.each(CASES)('%s → loosens: %s', (yaml, loosens) => {
    expect(entries(yaml).length > 0).toBe(loosens);
  });

  it('names each loosening entry, its rule id and what it lets through, in words', () => {
    const found = findLoosening(
      parseSecurityRules(
        [
          'tools: {delete_file: allow}',
          'commands:',
          '  - {match: "git *", decision: ask}',
          '  - {match: "git push", decision: allow}',
          'paths:',
          '  - {glob: "docs/**", access: write, decision: deny}',
          '  - {glob: ".env.test", access: read, decision: allow}',
          'defaults: {"default:delete": allow}',
          'writable_outside: ["/tmp/out/**"]',
        ].join('\n'),
      ),
    );
    expect(found.map((l) => [l.entry, l.rule])).toEqual([
      ['tools.delete_file', 'user:tools.delete_file'],
      ['defaults.default:delete', 'default:delete'],
      ['commands[1]', 'user:commands[1]'],
      ['paths[1]', 'user:paths[1]'],
      ['writable_outside[0]', 'user:writable_outside'],
    ]);
    const words = found.map((l) => l.words).join('\n');
    expect(words).toContain('"git push"');
    expect(words).toContain('default:git-push');
    expect(words).toMatch(/reading files that may hold secrets, such as "\.env\.test"/);
    expect(words).toContain('It deletes files.');
  });
});

describe('builtinDecision', () => {
  it('knows every default rule id and detector id the policy decides with, and no stale ones', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('builtin-decisions.ts'))
          for (const m of readFileSync(p, 'utf8').matchAll(/'(default:[a-z0-9-]+)'/g)) used.add(m[1]!);
      }
    };
    walk(import.meta.dirname);
    const unknown = [...used].filter((id) => builtinDecision(id) === undefined);
    expect(unknown).toEqual([]);
    const rules = new Set(DEFAULT_COMMAND_RULES.map((r) => r.id));
    expect(Object.keys(DETECTOR_DECISIONS).filter((id) => !used.has(id) && !rules.has(id))).toEqual([]);
  });

  it('takes the strictest decision an id makes', () => {
    expect(builtinDecision('default:fork-bomb')).toBe('deny');
    expect(builtinDecision('default:git-push')).toBe('ask');
    expect(builtinDecision('default:tool-delete-file')).toBe('ask');
    expect(builtinDecision('default:tool-read-file')).toBe('allow');
    expect(builtinDecision('default:nonexistent')).toBeUndefined();
  });
});
