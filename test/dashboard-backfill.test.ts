import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { createServer } from '../src/server/create-server.js';
import { DashboardDataSchema } from '../src/stats/dashboard-data.js';
import { openDatabase } from '../src/store/database.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { userTrust } from './helpers/user-trust.js';

const TOKEN = 'test-token-0123456789abcdef';
let repo: TempGitRepo;
let trust: ReturnType<typeof userTrust>;
const open = () =>
  createRuntime({
    projectDir: repo.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...trust.env },
    probeOllama: false,
  });

/** Makes the store look like one from before statistics: its events stored, nothing counted. */
function forgetStatistics(rt: Runtime): void {
  const db = openDatabase(rt.paths.database);
  db.exec(
    'DELETE FROM stat_commands; DELETE FROM stat_latency; DELETE FROM stat_counts; DELETE FROM stat_meta',
  );
  const last = (db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number }).id;
  db.prepare("INSERT INTO stat_meta (key, value) VALUES ('live_from', ?)").run(String(last));
  db.close();
}

beforeAll(async () => {
  repo = await createTempGitRepo({ files: { 'README.md': '# demo\n', 'src/app.js': 'console.log(1)\n' } });
  trust = userTrust(repo.dir);
  const rt = await open();
  const app = await createServer(rt, { token: TOKEN, background: false });
  for (const text of ['list files', 'what changed', 'list files']) {
    const reply = await app.inject({
      method: 'POST',
      url: '/api/commands',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { text, wait: true },
    });
    expect(reply.json().status).toBe('succeeded');
  }
  await app.close();
  await rt.close();
  forgetStatistics(rt);
}, 60_000);
afterAll(async () => {
  await repo?.cleanup();
  trust?.cleanup();
});

describe('the dashboard counts a store’s older events in the background', () => {
  it('shows commands stored before statistics existed', async () => {
    const rt = await open();
    const app = await createServer(rt, { token: TOKEN });
    try {
      const read = async () =>
        DashboardDataSchema.parse(
          (
            await app.inject({
              url: '/api/dashboard?since=24h',
              headers: { authorization: `Bearer ${TOKEN}` },
            })
          ).json(),
        );
      await vi.waitFor(async () => expect((await read()).commands.total).toBe(3), { timeout: 5_000 });
      expect((await read()).commands.byIntent).toEqual({ list_files: 2, what_changed: 1 });
    } finally {
      await app.close();
      await rt.close();
    }
    forgetStatistics(rt);
  });

  it('stops when the runtime closes first, and the server closes with it', async () => {
    const errors = vi.spyOn(console, 'error');
    try {
      const rt = await open();
      const app = await createServer(rt, { token: TOKEN });
      await app.listen({ host: '127.0.0.1', port: 0 });
      // The backfill's first batch is due 50 ms after start: the store closes before it.
      await rt.close();
      await new Promise((r) => setTimeout(r, 300));
      expect(errors.mock.calls.map((c) => String(c[0]))).not.toContainEqual(
        expect.stringContaining('counting older events'),
      );
      expect(app.server.listening).toBe(false);
      const db = openDatabase(rt.paths.database);
      const cursor = db.prepare("SELECT value FROM stat_meta WHERE key = 'backfill_cursor'").get();
      db.close();
      expect(cursor).toBeUndefined();
      await app.close();
    } finally {
      errors.mockRestore();
    }
  });
});
