import { describe, expect, it } from 'vitest';
import { createCappedOutput } from './capped-output.js';

describe('createCappedOutput', () => {
  it('keeps everything under the cap, multibyte characters split across chunks included', () => {
    const out = createCappedOutput(100);
    const bytes = Buffer.from('héllo wörld');
    out.push(bytes.subarray(0, 2));
    out.push(bytes.subarray(2));
    expect(out.text()).toBe('héllo wörld');
    expect(out.totalBytes).toBe(bytes.length);
  });

  it('keeps the head and the tail and names the dropped bytes', () => {
    const out = createCappedOutput(10);
    for (const c of 'abcdefghijklmnopqrstuvwxyz') out.push(Buffer.from(c));
    expect(out.text()).toBe('abcde\n[… 16 bytes of output omitted …]\nvwxyz');
  });

  it('handles one chunk larger than the cap', () => {
    const out = createCappedOutput(6);
    out.push(Buffer.from('0123456789'));
    out.push(Buffer.from('AB'));
    expect(out.text()).toBe('012\n[… 6 bytes of output omitted …]\n9AB');
  });
});
