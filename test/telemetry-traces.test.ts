import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { traceConfig } from '../src/telemetry/trace-config.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

/** A real OTLP/HTTP receiver on port 0: keeps each POST /v1/traces body and its headers. */
async function startReceiver() {
  const posts: { path: string; headers: Record<string, unknown>; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      posts.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const spans = () =>
    posts.flatMap((p) =>
      (
        JSON.parse(p.body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }
      ).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)),
    );
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    spans,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

let ralex: RalexUnderTest | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await ralex?.close();
  await receiver?.close();
  ralex = receiver = undefined;
});

describe('OpenTelemetry traces', () => {
  it('sends one span per command, per stage and per tool call to the configured OTLP endpoint, and none of the user’s text', async () => {
    receiver = await startReceiver();
    const secret = 'sk-live-DO-NOT-SEND-0123456789';
    ralex = await startRalex({
      files: { 'README.md': '# demo\n', 'src/app.js': `export const key = '${secret}';\n` },
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=ralex%20ops',
        OTEL_SERVICE_NAME: 'ralex-test',
      },
      script: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.js' } }] },
        { text: 'It exports a key.', usage: { prompt_tokens: 100, completion_tokens: 8 } },
      ],
    });
    const result = await json(
      await ralex.call('/api/commands', {
        method: 'POST',
        body: JSON.stringify({ text: `explain src/app.js ${secret.slice(0, 12)}`, wait: true }),
      }),
    );
    expect(result.status).toBe('succeeded');
    // Closing the runtime sends what the batch still holds.
    await ralex.close();
    ralex = undefined;

    expect(receiver.posts.every((p) => p.path === '/v1/traces')).toBe(true);
    expect(receiver.posts[0]?.headers['x-team']).toBe('ralex ops');
    expect(receiver.posts[0]?.headers['content-type']).toContain('application/json');
    const resource = JSON.parse(receiver.posts[0]!.body).resourceSpans[0].resource.attributes;
    expect(resource).toContainEqual({ key: 'service.name', value: { stringValue: 'ralex-test' } });

    const spans = receiver.spans();
    const roots = spans.filter((s) => s.name === 'ralex.command');
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root.parentSpanId ?? '').toBe('');
    expect(attr(root, 'ralex.command.id')).toBe(result.commandId);
    expect(attr(root, 'ralex.intent')).toBe('explain');
    expect(attr(root, 'ralex.status')).toBe('succeeded');
    expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);
    const stages = spans.filter((s) => s.name.startsWith('stage.'));
    expect(stages.map((s) => s.name).sort()).toEqual(
      ['context', 'enhance', 'execute', 'guard', 'parse', 'record', 'respond', 'route'].map(
        (n) => `stage.${n}`,
      ),
    );
    for (const s of stages) {
      expect(s.parentSpanId).toBe(root.spanId);
      expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano));
    }
    const execute = stages.find((s) => s.name === 'stage.execute')!;
    const tools = spans.filter((s) => s.name.startsWith('tool.'));
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ name: 'tool.read_file', parentSpanId: execute.spanId });
    expect(attr(tools[0]!, 'ralex.policy.decision')).toBe('allow');
    expect(attr(tools[0]!, 'ralex.tool.ok')).toBe(true);
    // The command's words, the file the tool read and the model's answer stay on this machine.
    const sent = receiver.posts.map((p) => p.body).join('\n');
    expect(sent).not.toContain(secret.slice(0, 12));
    expect(sent).not.toContain('It exports a key');
  }, 30_000);

  it('a collector that is down costs no command', async () => {
    receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    ralex = await startRalex({
      script: null,
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url}/v1/traces` },
    });
    const result = await json(
      await ralex.call('/api/commands', {
        method: 'POST',
        body: JSON.stringify({ text: 'list files', wait: true }),
      }),
    );
    expect(result.status).toBe('succeeded');
  });
});

describe('traceConfig', () => {
  it('is off unless an endpoint is set, and honours the standard switches', () => {
    expect(traceConfig({})).toBeNull();
    expect(
      traceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBeNull();
    expect(
      traceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeNull();
    expect(traceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toEqual({
      url: 'http://c:4318/v1/traces',
      headers: {},
      serviceName: 'ralex',
    });
    expect(
      traceConfig({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://c/t',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x',
      })?.url,
    ).toBe('https://c/t');
  });

  it('says what is wrong with an endpoint or protocol it cannot use', () => {
    expect(() => traceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /not an http\(s\) URL/,
    );
    expect(() =>
      traceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(/http\/json, not "grpc"/);
  });
});
