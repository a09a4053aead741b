/**
 * Test helper process (not a test): starts a private OpenCode server, prints its pid as JSON and
 * waits to be killed, standing in for a Ralex process that dies with kill -9.
 */
import { startOpenCodeServer } from './opencode-server.js';

const server = await startOpenCodeServer({
  provider: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'x', models: ['m'] },
  home: process.env.RALEX_TEST_HOME,
  startTimeoutMs: 45_000,
});
process.stdout.write(`${JSON.stringify({ pid: server.pid, url: server.url })}\n`);
setInterval(() => {}, 60_000);
