import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** How to reach Context7's MCP server. */
export type Context7Endpoint =
  | { transport: 'stdio'; command: string; args: string[]; env?: Record<string, string> }
  | { transport: 'http'; url: string; headers?: Record<string, string> };

/** A tool's answer: its text (the text parts joined) and whether the server flagged an error. */
export interface ToolText {
  text: string;
  isError: boolean;
}

/** A connection to one MCP server, opened on first use and reused. */
export interface McpToolClient {
  /** Calls a tool; rejects when `signal` aborts (the connection is then dropped and made again next time). */
  call(tool: string, args: Record<string, string>, signal: AbortSignal): Promise<ToolText>;
  close(): Promise<void>;
}

/** Largest answer read from the server, over stdio or HTTP; a larger one is an error, not a prompt. */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

/**
 * The stdio endpoint of the `@upstash/context7-mcp` Ralex itself installed (never one from the
 * project: that would run the repository's code), or null when it is not installed. The server
 * gets only PATH, proxy settings, `CONTEXT7_API_KEY` when set, and its telemetry off.
 */
export function installedContext7(env: NodeJS.ProcessEnv = process.env): Context7Endpoint | null {
  let main: string;
  try {
    const require = createRequire(import.meta.url);
    main = join(dirname(require.resolve('@upstash/context7-mcp/package.json')), 'dist', 'index.js');
  } catch {
    return null;
  }
  const pass: Record<string, string> = { PATH: env.PATH ?? '', OTEL_SDK_DISABLED: 'true' };
  for (const k of [
    'CONTEXT7_API_KEY',
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
    'NODE_EXTRA_CA_CERTS',
  ])
    if (env[k]) pass[k] = env[k]!;
  return { transport: 'stdio', command: process.execPath, args: [main, '--transport', 'stdio'], env: pass };
}

/** Opens (lazily) an MCP client to `endpoint` with the MCP TypeScript SDK. */
export function mcpToolClient(endpoint: Context7Endpoint): McpToolClient {
  type Connection = { ready: Promise<Client>; close(): Promise<void> };
  let current: Connection | null = null;
  const open = (): Connection => {
    let transport: Awaited<ReturnType<typeof makeTransport>> | undefined;
    let closed = false;
    const ready = (async () => {
      const [{ Client }, t] = await Promise.all([
        import('@modelcontextprotocol/sdk/client/index.js'),
        makeTransport(endpoint),
      ]);
      transport = t;
      if (closed) throw new Error('closed');
      const client = new Client({ name: 'ralex', version: '1' });
      await client.connect(t, { timeout: 60_000 });
      return client;
    })();
    ready.catch(() => {});
    return {
      ready,
      // Closing the transport ends the server process (stdio) at once, even mid-handshake.
      async close() {
        closed = true;
        await transport?.close().catch(() => {});
      },
    };
  };
  const drop = (c: Connection) => {
    if (current === c) current = null;
    void c.close();
  };
  return {
    async call(tool, args, signal) {
      signal.throwIfAborted();
      current ??= open();
      const c = current;
      try {
        const client = await abortable(c.ready, signal);
        const result = await client.callTool({ name: tool, arguments: args }, undefined, {
          signal,
          timeout: 600_000,
        });
        const parts = Array.isArray(result.content) ? result.content : [];
        const text = parts
          .filter((p): p is { type: 'text'; text: string } => (p as { type?: string }).type === 'text')
          .map((p) => p.text)
          .join('\n');
        return { text, isError: result.isError === true };
      } catch (error) {
        // A server that did not answer in time (or failed) is not trusted with the next call: start afresh.
        drop(c);
        throw error;
      }
    },
    async close() {
      const c = current;
      current = null;
      await c?.close();
    },
  };
}

async function makeTransport(endpoint: Context7Endpoint) {
  if (endpoint.transport === 'stdio') {
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    return new StdioClientTransport({
      command: endpoint.command,
      args: endpoint.args,
      env: endpoint.env ?? { PATH: process.env.PATH ?? '' },
      cwd: tmpdir(),
      stderr: 'ignore',
      maxBufferSize: MAX_ANSWER_BYTES,
    });
  }
  const { StreamableHTTPClientTransport } = await import(
    '@modelcontextprotocol/sdk/client/streamableHttp.js'
  );
  return new StreamableHTTPClientTransport(new URL(endpoint.url), {
    requestInit: { headers: endpoint.headers ?? {} },
    fetch: boundedFetch(MAX_ANSWER_BYTES),
  });
}

/** `fetch` whose response bodies error past `limit` bytes, so a server cannot flood Ralex's memory. */
function boundedFetch(limit: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    let seen = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit) controller.error(new Error(`the answer is over ${limit} bytes`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
