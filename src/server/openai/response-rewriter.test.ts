import { describe, expect, it } from 'vitest';
import { createStreamRewriter, rewriteCompletion } from './response-rewriter.js';

const presentation = { model: 'ralex-auto', routedModel: 'openai:gpt-4o-mini', note: '\n\n(note)' };
const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 7, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe("presenting an upstream answer under the client's model", () => {
  it('rewrites every streamed chunk, split anywhere, and puts the note before the finish', () => {
    const upstream = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'say "model":"evil" please' }),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ].join('');
    for (const size of [1, 7, upstream.length]) {
      const rewriter = createStreamRewriter(presentation);
      let out = '';
      for (let i = 0; i < upstream.length; i += size) out += rewriter.push(upstream.slice(i, i + size));
      out += rewriter.end();
      const events = out.split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
      expect(chunks.every((c) => c.model === 'ralex-auto' && c.routed_model === 'openai:gpt-4o-mini')).toBe(
        true,
      );
      expect(chunks.map((c) => c.choices[0].delta.content ?? null)).toEqual([
        '',
        'say "model":"evil" please',
        '\n\n(note)',
        null,
      ]);
      expect(chunks[2].id).toBe('c1');
      expect(chunks[3].choices[0].finish_reason).toBe('stop');
    }
  });

  it('rewrites a whole answer, with the note and a content rewrite', () => {
    const body = Buffer.from(
      JSON.stringify({
        id: 'c',
        model: 'gpt',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Sure: {"title":"X"}' } }],
      }),
    );
    const out = JSON.parse(
      rewriteCompletion(body, {
        model: 'ralex-agent',
        routedModel: 'openai:gpt',
        content: (t) => t.slice(6),
      }).toString(),
    );
    expect(out).toMatchObject({ model: 'ralex-agent', routed_model: 'openai:gpt' });
    expect(out.choices[0].message.content).toBe('{"title":"X"}');
    expect(rewriteCompletion(Buffer.from('not json'), presentation).toString()).toBe('not json');
  });
});
