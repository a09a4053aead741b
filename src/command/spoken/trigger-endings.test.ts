import { describe, expect, it } from 'vitest';
import { stripTriggerEnding, TRIGGER_PHRASES } from './trigger-endings.js';

describe('stripTriggerEnding', () => {
  it.each([
    ['fix the bug, execute', 'fix the bug', 'execute'],
    ['fix the bug execute', 'fix the bug', 'execute'],
    ['Fix the bug. Execute!', 'Fix the bug', 'execute'],
    ['fix the bug,   SEND   IT', 'fix the bug', 'send it'],
    ['fix the bug — go ahead please', 'fix the bug', 'go ahead'],
    ['fix the bug and then do it now', 'fix the bug', 'do it'],
    ['fix the bug, run it please.', 'fix the bug', 'run it'],
    ['refactor it, make it happen', 'refactor it', 'make it happen'],
    ['add a test; proceed', 'add a test', 'proceed'],
    ['rename the flag and apply it', 'rename the flag', 'apply it'],
    ['fix the bug, okay, go ahead', 'fix the bug', 'go ahead'],
    ["fix the bug, let's do it", 'fix the bug', 'do it'],
  ])('%s → %s + %s', (text, rest, trigger) => {
    expect(stripTriggerEnding(text)).toEqual({ text: rest, trigger });
  });

  it.each([
    'how do I do it',
    'tell me how to apply it',
    'should we proceed',
    'can you run it',
    "why didn't you execute",
    'execute the migration',
    'do it and then explain',
    'go ahead',
    'Execute.',
    '',
  ])('no trigger in %j', (text) => {
    expect(stripTriggerEnding(text)).toEqual({ text: text.trim(), trigger: null });
  });

  it('a comma makes even "…how to, do it" an ending', () => {
    expect(stripTriggerEnding('show me how to, do it')).toEqual({ text: 'show me how to', trigger: 'do it' });
  });

  it('knows every phrase of the architecture', () => {
    expect([...TRIGGER_PHRASES].sort()).toEqual(
      ['apply it', 'do it', 'execute', 'go ahead', 'make it happen', 'proceed', 'run it', 'send it'].sort(),
    );
  });
});
