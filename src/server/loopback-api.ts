import { randomBytes } from 'node:crypto';
import type { LoopbackApi } from '../models/loopback-api-endpoint.js';
import type { Runtime } from '../runtime.js';
import { createServer } from './create-server.js';

const started = new WeakMap<Runtime, Promise<LoopbackApi>>();

/**
 * Starts (once per runtime) a private copy of Ralex's HTTP API on 127.0.0.1 with its own random
 * token, so OpenCode's model calls go through Ralex's routing, limits and audit — also under
 * `ralex run`, where no server is running. It closes with the runtime.
 */
export function loopbackApi(rt: Runtime): Promise<LoopbackApi> {
  let api = started.get(rt);
  if (!api) {
    api = (async () => {
      const token = `rx_loop_${randomBytes(18).toString('base64url')}`;
      const app = await createServer(rt, { token, background: false });
      await app.listen({ host: '127.0.0.1', port: 0 });
      rt.onClose(() => app.close());
      const { port } = app.server.address() as { port: number };
      return { baseUrl: `http://127.0.0.1:${port}/v1`, token };
    })();
    started.set(rt, api);
  }
  return api;
}
