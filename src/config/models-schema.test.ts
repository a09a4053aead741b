import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RalexError } from '../errors.js';
import { ralexPaths } from '../project/ralex-paths.js';
import { loadConfig } from './load-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Loads a project whose preferences.yaml is `yaml`; returns the error it stops with. */
function refusal(yaml: string): RalexError {
  const root = mkdtempSync(join(tmpdir(), 'ralex-prefs-'));
  dirs.push(root);
  const paths = ralexPaths(root);
  mkdirSync(paths.configDir, { recursive: true });
  writeFileSync(paths.preferencesFile, yaml);
  try {
    loadConfig(paths, {});
  } catch (error) {
    return error as RalexError;
  }
  throw new Error('the preferences were accepted');
}

describe('models, routing and budgets in preferences.yaml', () => {
  it('stops start-up on a price that is not a number, naming the file, the key and the fix', () => {
    const e = refusal('models:\n  overrides:\n    "openai:gpt-4o":\n      input: "$2.50"\n');
    expect(e.code).toBe('invalid_config');
    expect(e.message).toContain('preferences.yaml');
    expect(e.message).toContain(
      'models.overrides.openai:gpt-4o.input: input: US dollars per million tokens, e.g. 0.15 (no "$" sign, no quotes)',
    );
    expect(e.hint).toMatch(/Edit .*preferences\.yaml/);
  });

  it('refuses negative prices, budgets of 0 or less, weights outside 0–1 or all 0, and a model id without its provider', () => {
    expect(refusal('models:\n  overrides:\n    "openai:gpt-4o": { output: -1 }\n').message).toContain(
      'models.overrides.openai:gpt-4o.output: output cannot be negative (0 means free)',
    );
    expect(refusal('budgets:\n  daily: 0\n').message).toContain(
      'budgets.daily: daily must be more than 0 (remove the key for no limit)',
    );
    expect(refusal('budgets:\n  monthly: "100"\n').message).toContain(
      'budgets.monthly: monthly: a number of US dollars',
    );
    expect(refusal('routing:\n  weights: { cost: 2 }\n').message).toContain(
      'routing.weights.cost: cost: a weight from 0 to 1',
    );
    expect(
      refusal('routing:\n  weights: { capability: 0, cost: 0, performance: 0, context: 0, latency: 0 }\n')
        .message,
    ).toContain('routing.weights: at least one weight must be more than 0');
    expect(refusal('models:\n  default: gpt-4o\n').message).toContain(
      'models.default: use "provider:model", e.g. "openai:gpt-4o-mini"',
    );
    expect(refusal('budgets:\n  dayly: 5\n').message).toContain('unknown key(s) "dayly"');
    // A key of a table: a model id without its provider, a task kind that does not exist.
    expect(refusal('models:\n  overrides:\n    gpt-4o: { input: 1 }\n').message).toContain(
      'models.overrides.gpt-4o: this key is not valid: use "provider:model", e.g. "openai:gpt-4o-mini"',
    );
    expect(
      refusal('models:\n  overrides:\n    "openai:gpt-4o": { capability: { fixbug: 0.7 } }\n').message,
    ).toContain('models.overrides.openai:gpt-4o.capability: unknown key(s) "fixbug"');
    expect(refusal('models:\n  overrides:\n    "openai:gpt-4o": { latency_ms: -5 }\n').message).toContain(
      'models.overrides.openai:gpt-4o.latency_ms',
    );
  });
});
