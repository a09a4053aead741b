import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/pipeline/parse/parse-command.js';
import { splitDiff } from '../../web/src/lib/diff-files.js';
import { renderMarkdown } from '../../web/src/lib/markdown-lite.js';
import { endingTrigger, isApprovalAnswer, TRIGGER_PHRASES } from '../../web/src/lib/trigger-phrase.js';
import { downmix, encodeWav, resampleLinear } from '../../web/src/lib/wav-encode.js';
import { readWav } from './speech-fixture.js';

describe('splitDiff', () => {
  it('splits a git diff into files with counts, new and deleted files, and keeps "--" lines inside hunks', () => {
    const diff = [
      'diff --git a/src/a.js b/src/a.js',
      'index 1..2 100644',
      '--- a/src/a.js',
      '+++ b/src/a.js',
      '@@ -1,3 +1,3 @@',
      ' one',
      '--- not a header',
      '+++ not a header either',
      ' three',
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      'diff --git a/old.txt b/old.txt',
      'deleted file mode 100644',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    const files = splitDiff(diff);
    expect(files.map((f) => [f.path, f.change, f.added, f.removed])).toEqual([
      ['src/a.js', 'modified', 1, 1],
      ['new.txt', 'added', 1, 0],
      ['old.txt', 'deleted', 0, 1],
    ]);
    expect(files[0]!.lines.map((l) => l.kind)).toEqual(['hunk', 'context', 'del', 'add', 'context']);
    expect(files[2]!.lines.at(-1)).toEqual({ kind: 'meta', text: '\\ No newline at end of file' });
  });

  it('reads a plain unified diff with no git header', () => {
    const files = splitDiff(
      '--- a/x.py\t2020\n+++ b/x.py\t2020\n@@ -1 +1 @@\n-a\n+b\n--- a/y.py\n+++ b/y.py\n@@ -1 +1 @@\n-c\n+d\n',
    );
    expect(files.map((f) => f.path)).toEqual(['x.py', 'y.py']);
  });
});

describe('renderMarkdown', () => {
  it('escapes HTML and renders lists, code, bold and italics', () => {
    const html = renderMarkdown('Hi <b>there</b> **bold** _soft_ and `a<b`\n- one\n- `two`\n\n```\n<x>\n```');
    expect(html).toBe(
      '<p>Hi &lt;b&gt;there&lt;/b&gt; <strong>bold</strong> <em>soft</em> and <code>a&lt;b</code></p>' +
        '<ul><li>one</li><li><code>two</code></li></ul><pre><code>&lt;x&gt;</code></pre>',
    );
    expect(renderMarkdown('snake_case_name stays')).toBe('<p>snake_case_name stays</p>');
    expect(renderMarkdown('x\n```\ndiff --git a/a b/a\n```', { dropDiffBlocks: true })).toBe('<p>x</p>');
  });
});

describe('trigger phrases', () => {
  it('finds every trigger ending, whatever the punctuation and case, and nothing mid-sentence', () => {
    for (const phrase of TRIGGER_PHRASES)
      expect(endingTrigger(`fix the bug in user auth, ${phrase.toUpperCase()}.`)).toBe(phrase);
    expect(endingTrigger('execute the plan later')).toBeNull();
    expect(endingTrigger('undo it')).toBeNull();
    expect(isApprovalAnswer('Confirm.')).toBe(true);
    expect(isApprovalAnswer('deny it')).toBe(true);
    expect(isApprovalAnswer('confirm the user exists in auth')).toBe(false);
  });

  it('agrees with the parse stage on every utterance, so the browser never auto-submits what the server would not', () => {
    const said = [
      "don't execute",
      'do not proceed',
      'should I run it',
      'how do I do it',
      'tell me how to apply it',
      'fix the login bug, execute',
      'fix the login bug and then go ahead please',
      'go ahead',
      'um, execute',
      'refactor the parser, uh, make it happen',
      'never do it',
      'Fix it. Do it!',
    ];
    for (const text of said)
      expect(endingTrigger(text), text).toBe(parseCommand(text, { files: [] }).trigger);
    for (const text of said.slice(0, 5)) expect(endingTrigger(text), text).toBeNull();
  });
});

describe('encodeWav', () => {
  it('writes a 16-bit mono PCM WAV that a reader parses back to the same samples', () => {
    const samples = new Float32Array([0, 0.5, -0.5, 1, -1, 2]);
    const wav = readWav(Buffer.from(encodeWav(samples, 16_000)));
    expect(wav).toMatchObject({ sampleRate: 16_000, channels: 1, bits: 16 });
    expect([...wav.samples]).toEqual([0, 16383, -16384, 32767, -32768, 32767]);
    expect([...downmix([new Float32Array([1, 0]), new Float32Array([0, 1])])]).toEqual([0.5, 0.5]);
  });

  it('resamples 48 kHz to 16 kHz, keeping a low tone and the length', () => {
    const input = Float32Array.from({ length: 48_000 }, (_, i) => Math.sin((2 * Math.PI * 200 * i) / 48_000));
    const out = resampleLinear(input, 48_000, 16_000);
    expect(out.length).toBe(16_000);
    const expected = Float32Array.from({ length: 16_000 }, (_, i) =>
      Math.sin((2 * Math.PI * 200 * (i * 3 + 1)) / 48_000),
    );
    const worst = Math.max(...out.map((v, i) => Math.abs(v - expected[i]!)));
    expect(worst).toBeLessThan(0.01);
  });
});
