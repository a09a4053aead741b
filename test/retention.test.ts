import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compactState } from '../src/retention/compact-state.js';
import { stateSizes } from '../src/retention/state-sizes.js';
import { queryDashboard } from '../src/stats/dashboard-query.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';
import { runCli } from './helpers/run-cli.js';
import { sessionClock } from './helpers/scripted-session.js';

let ralex: RalexUnderTest | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await ralex?.close();
  ralex = undefined;
  for (const c of cleanups.splice(0)) c();
});

const run = (r: RalexUnderTest, text: string) =>
  r.call('/api/commands', { method: 'POST', body: JSON.stringify({ text, wait: true }) }).then(json);

describe('retention and compaction', () => {
  it('drops old events, audit entries (sealed), session logs and hourly statistics; the rest verifies and the days stay on the dashboard', async () => {
    const clock = sessionClock(24 * 400); // 400 days ago
    ralex = await startRalex({
      script: null,
      clock: clock.now,
      files: { 'README.md': '# demo\n', 'a.js': '1\n' },
    });
    const old = [await run(ralex, 'list files'), await run(ralex, 'what changed')];
    for (const name of readdirSync(ralex.rt.paths.sessionsDir))
      utimesSync(join(ralex.rt.paths.sessionsDir, name), clock.now(), clock.now());
    clock.advance(399 * 86_400_000); // a day ago
    const recent = await run(ralex, 'list files');
    const before = stateSizes(ralex.rt);
    const dry = compactState(ralex.rt, { dryRun: true, now: new Date() });
    expect(stateSizes(ralex.rt)).toEqual(before);
    const report = compactState(ralex.rt, { now: new Date() });
    expect(report.events.deleted).toBe(dry.events.deleted);
    expect(report.events.deleted).toBeGreaterThan(10);
    // The old commands' events are gone, the recent one's are all there.
    expect(ralex.rt.bus.log.read({ commandId: old[0].commandId })).toEqual([]);
    expect(ralex.rt.bus.log.read({ commandId: recent.commandId }).at(-1)?.type).toBe('command.finished');
    expect(report.audit.dropped).toBeGreaterThan(5);
    // Each old command had a session of its own; the recent one's log stays.
    expect(report.sessions.removed).toHaveLength(2);
    expect(readdirSync(ralex.rt.paths.sessionsDir)).toHaveLength(1);
    expect(report.statsHourly.deleted).toBeGreaterThan(0);
    const verified = ralex.rt.audit.verify();
    expect(verified.status).toBe('intact');
    const epoch = ralex.rt.audit
      .read({ limit: 10_000 })
      .find((e) => e.kind === 'epoch' && e.body.reason === 'compaction');
    expect(epoch?.body.dropped).toMatchObject({
      entries: report.audit.dropped,
      rule: 'retention.audit_days: 365',
    });
    // The daily statistics keep what happened 400 days ago.
    const year = queryDashboard(ralex.rt.db, {
      since: new Date(Date.now() - 401 * 86_400_000),
      until: new Date(),
      now: new Date(),
    });
    expect(year.commands.total).toBe(3);
    // The commands themselves stay listed (their rows are small; their events are what replays).
    expect(ralex.rt.commands.get(old[0].commandId)?.status).toBe('succeeded');
  });

  it('keeps a hostile repository from shortening the audit trail until the user trusts it', async () => {
    const state = mkdtempSync(join(tmpdir(), 'ralex-xdg-'));
    cleanups.push(() => rmSync(state, { recursive: true, force: true }));
    ralex = await startRalex({
      script: null,
      preferences: 'retention:\n  audit_days: 30\n  events_days: 5\n',
      env: { XDG_STATE_HOME: state },
    });
    expect(ralex.rt.config.preferences.retention).toMatchObject({ audit_days: 365, events_days: 5 });
    expect(ralex.rt.preferencesTrust.outward.map((o) => o.key)).toContain('retention.audit_days');
    const cli = await runCli(['status', '--project', ralex.repo.dir], { env: { XDG_STATE_HOME: state } });
    expect(cli.stdout).toMatch(/Retention: events 5 days, audit 365 days/);
  });

  it('ralex compact --dry-run says what would go and changes nothing; a bad bound is refused with the key', async () => {
    ralex = await startRalex({ script: null });
    await run(ralex, 'list files');
    const dry = await runCli(['compact', '--dry-run', '--json', '--project', ralex.repo.dir], {
      env: { XDG_STATE_HOME: join(ralex.rt.trustFile, '..', '..') },
    });
    expect(dry.code, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ dryRun: true, events: { deleted: 0 }, audit: { dropped: 0 } });
    expect(report.sizes.events).toBeGreaterThan(0);
    await ralex.repo.write('.ralex/config/preferences.yaml', 'retention:\n  audit_days: 3\n');
    const bad = await runCli(['compact', '--project', ralex.repo.dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/retention\.audit_days/);
  });
});

describe('retention of the model ledger', () => {
  it('drops finished calls and stale budget windows past retention.ledger_days; a call under way and this month’s windows stay', async () => {
    ralex = await startRalex({
      script: null,
      preferences: 'retention:\n  ledger_days: 40\n',
    });
    const db = ralex.rt.db;
    const owner = ralex.rt.owner;
    const call = (id: string, at: string, state: string) =>
      db
        .prepare(
          `INSERT INTO model_calls (id, created_at, state, path, model, reserved, price_known, windows_json, owner_pid, owner_started)
           VALUES (?, ?, ?, 'agent', 'openai:m', 0, 1, '[]', ?, ?)`,
        )
        .run(id, at, state, owner.pid, owner.started);
    const window = (key: string, at: string) =>
      db
        .prepare(
          'INSERT INTO budget_totals (window, spent, reserved, calls, updated_at) VALUES (?, 1, 0, 1, ?)',
        )
        .run(key, at);
    const old = new Date(Date.now() - 60 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 86_400_000).toISOString();
    call('old-settled', old, 'settled');
    call('old-released', old, 'released');
    call('old-open', old, 'reserved');
    call('recent', recent, 'settled');
    window('day:old', old);
    window('query:old', old);
    window('month:now', recent);
    const dry = compactState(ralex.rt, { dryRun: true });
    expect(dry.ledger).toMatchObject({ calls: 2, windows: 2 });
    const report = compactState(ralex.rt);
    expect(report.ledger).toMatchObject({ calls: 2, windows: 2 });
    const ids = (db.prepare('SELECT id FROM model_calls ORDER BY id').all() as { id: string }[]).map(
      (r) => r.id,
    );
    expect(ids).toEqual(['old-open', 'recent']);
    const keys = (db.prepare('SELECT window FROM budget_totals').all() as { window: string }[]).map(
      (r) => r.window,
    );
    expect(keys).toEqual(['month:now']);
  });

  it('refuses a ledger retention too short to keep a month’s budget, saying the bound', async () => {
    const cli = await startRalex({ script: null, preferences: 'retention:\n  ledger_days: 10\n' }).catch(
      (error: Error) => error,
    );
    expect(cli).toBeInstanceOf(Error);
    expect(String((cli as Error).message)).toMatch(/ledger_days/);
  });
});
