import { describe, expect, it } from 'vitest';
import { decide, PolicyDecisionSchema, strictest } from './decision.js';

describe('strictest', () => {
  const allow = decide('allow', 'default:a', 'fine');
  const ask = decide('ask', 'default:b', 'maybe');
  const deny = decide('deny', 'default:c', 'no');

  it('orders deny > ask > allow', () => {
    expect(strictest([allow, ask, deny]).rule).toBe('default:c');
    expect(strictest([deny, ask, allow]).rule).toBe('default:c');
    expect(strictest([allow, ask]).rule).toBe('default:b');
    expect(strictest([allow]).rule).toBe('default:a');
  });

  it('keeps the first of equally strict decisions, so the most specific can go first', () => {
    const other = decide('ask', 'default:z', 'also maybe');
    expect(strictest([ask, other]).rule).toBe('default:b');
    expect(strictest([other, ask]).rule).toBe('default:z');
  });

  it('returns the fallback when there is nothing, and asks when there is no fallback either', () => {
    expect(strictest([], allow)).toBe(allow);
    expect(strictest([]).decision).toBe('ask');
  });

  it('produces values that validate against the schema', () => {
    expect(PolicyDecisionSchema.parse(decide('deny', 'user:commands[0]', 'x', 'rm'))).toEqual({
      decision: 'deny',
      rule: 'user:commands[0]',
      reason: 'x',
      subject: 'rm',
    });
    expect(PolicyDecisionSchema.safeParse({ decision: 'maybe', rule: 'x', reason: 'y' }).success).toBe(false);
  });
});
