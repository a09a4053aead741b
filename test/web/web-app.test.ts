/// <reference lib="dom" />

import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject } from '../fixtures/sample-projects.js';
import type { RalexUnderTest } from '../helpers/ralex-under-test.js';
import { artifact } from './chromium.js';
import { useWebApp } from './web-app-under-test.js';

const BUG = 'if (!stored) return true;';
const FIX = 'if (!stored) return false;';
const edit = (oldText: string, newText: string, path = 'src/user_auth.js') => ({
  toolCalls: [{ name: 'edit_file', arguments: { path, old_text: oldText, new_text: newText } }],
});

const web = useWebApp();
/** Uncaught errors in any page: a test fails if the app threw. */
const pageErrors: string[] = [];
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

/** Opens the pairing link in a fresh browser context (its own storage) and waits for "Live". */
async function openPaired(r: RalexUnderTest, viewport = { width: 1280, height: 860 }): Promise<Page> {
  return web.openPaired(r, { viewport }, (page) =>
    page.on('pageerror', (error) => pageErrors.push(error.message)),
  );
}

async function typeCommand(page: Page, text: string) {
  await page.getByLabel('Command', { exact: true }).fill(text);
  await page.keyboard.press('Enter');
}

/** Records every connection state the app shows from now on (a reconnect can take well under a second). */
async function recordConnection(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const shell = document.querySelector('[data-connection]')!;
    const seen: string[] = [];
    Object.assign(window, { seen });
    new MutationObserver(() => seen.push(shell.getAttribute('data-connection')!)).observe(shell, {
      attributeFilter: ['data-connection'],
    });
  });
  return () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
}

const card = (page: Page, text: string) =>
  page.locator('article', { has: page.locator('.said', { hasText: text }) });

describe('the web app against a real Ralex server', () => {
  it('pairs from the link, then a typed command shows its timeline, diff and commit', async () => {
    const ralex = await web.start({
      files: sampleProject({ bug: true }),
      script: [edit(BUG, FIX), { text: 'Unknown users are now rejected.' }],
    });
    const page = await openPaired(ralex);
    // The token left the address bar and lives in localStorage.
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('ralex.token'))).toBe(ralex.token);

    await typeCommand(page, 'fix the failing test in user auth dot js');
    const command = card(page, 'fix the failing test in user auth dot js');
    await command.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 30_000 });

    const stages = await command
      .locator('[data-stage]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
    expect(stages).toEqual(['parse', 'guard', 'context', 'enhance', 'route', 'execute', 'record', 'respond']);
    await expect.poll(() => command.getByLabel('Model').innerText()).toContain('scripted-model');
    expect(await command.getByLabel('Model').innerText()).toMatch(
      /context [\d,]+ \/ [\d,]+ tokens from \d+ source/,
    );
    const activity = await command.getByLabel('Activity').innerText();
    expect(activity).toContain('edit_file');
    expect(activity).toMatch(/tests \(before\)\s*failed/);
    expect(activity).toMatch(/tests\s*passed/);
    const sha = await ralex.repo.git('rev-parse', 'HEAD');
    expect(activity).toContain(`Committed`);
    expect(activity).toContain(sha.slice(0, 8));

    const diff = command.getByLabel('Changes');
    expect(await diff.locator('.path').allInnerTexts()).toEqual(['src/user_auth.js']);
    expect(await diff.locator('.l.add').allInnerTexts()).toContain(`+  ${FIX}`);
    expect(await diff.locator('.l.del').allInnerTexts()).toContain(`-  ${BUG}`);
    await command.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: artifact('desktop-command.png') });

    // Expand a tool call: its output is there.
    await command.locator('summary', { hasText: 'edit_file' }).click();
    await expect
      .poll(() => command.locator('details[open]').first().innerText())
      .toContain('Edited src/user_auth.js');

    // Undo, then redo, from the cards.
    await command.getByRole('button', { name: 'Undo' }).click();
    await card(page, 'undo that').and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 20_000 });
    expect(await ralex.repo.read('src/user_auth.js')).toContain(BUG);
    await card(page, 'undo that').getByRole('button', { name: 'Redo' }).click();
    await card(page, 'redo').and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 20_000 });
    expect(await ralex.repo.read('src/user_auth.js')).toContain(FIX);
    await page.screenshot({ path: artifact('desktop-undo-redo.png') });
  });

  it('shows an approval in a second browser, answered there, and the first browser sees the outcome', async () => {
    const ralex = await web.start({
      files: { ...sampleProject(), 'src/old_helper.js': 'export const unused = 1;\n' },
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'src/old_helper.js' } }] },
        { text: 'Removed the unused helper.' },
      ],
    });
    const phone = await openPaired(ralex, { width: 360, height: 740 });
    const desk = await openPaired(ralex);
    await typeCommand(phone, 'refactor: remove the unused helper in src/old_helper.js');

    const approval = desk.getByRole('group', { name: 'Delete a file?' });
    await approval.waitFor({ timeout: 20_000 });
    expect(await approval.locator('.what').innerText()).toContain('src/old_helper.js');
    expect(await approval.getByRole('heading').innerText()).toBe('Delete a file?');
    const countdown = await approval.locator('.countdown').innerText();
    expect(countdown).toMatch(/^[12]:\d\d$/); // the default timeout is 2 minutes
    // The phone shows the same card; the desktop answers.
    await phone.getByRole('group', { name: 'Delete a file?' }).waitFor();
    await phone.screenshot({ path: artifact('phone-approval.png') });
    await approval.getByRole('button', { name: 'Approve' }).click();

    const done = card(phone, 'remove the unused helper');
    await done.and(phone.locator('[data-status="succeeded"]')).waitFor({ timeout: 30_000 });
    expect(await done.getByLabel('Activity').innerText()).toMatch(/Approval[\s\S]*approved · api/);
    await expect.poll(() => phone.getByRole('group', { name: 'Delete a file?' }).count()).toBe(0);
    expect(await ralex.repo.git('ls-files', 'src/old_helper.js')).toBe('');
    expect(await done.getByLabel('Changes').locator('.change').innerText()).toBe('deleted');
    await done.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await phone.screenshot({ path: artifact('phone-approved-done.png') });
  });

  it('answers an approval by voice words sent as a command ("deny")', async () => {
    const ralex = await web.start({
      files: { ...sampleProject(), 'src/old_helper.js': 'export const unused = 1;\n' },
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'src/old_helper.js' } }] },
        { text: 'Could not remove it.' },
      ],
    });
    const page = await openPaired(ralex);
    await typeCommand(page, 'refactor: remove the unused helper in src/old_helper.js');
    await page.getByRole('group', { name: 'Delete a file?' }).waitFor({ timeout: 20_000 });
    await typeCommand(page, 'deny');
    const done = card(page, 'remove the unused helper');
    await done.locator('.tag.denied').waitFor({ timeout: 20_000 });
    await done.and(page.locator('article:not([data-status="running"])')).waitFor({ timeout: 30_000 });
    expect(await ralex.repo.git('ls-files', 'src/old_helper.js')).toBe('src/old_helper.js');
  });

  it('reconnects after the socket is cut and after going offline, with no event lost or doubled', async () => {
    const ralex = await web.start({ script: null });
    const page = await openPaired(ralex);
    const r = ralex;
    const sessionId = await page.evaluate(() => localStorage.getItem('ralex.session'));
    const scope = { sessionId: sessionId!, commandId: 'cmd_burst' };
    r.rt.bus.publish(scope, { type: 'command.accepted', text: 'burst of events', source: 'api' });
    let n = 0;
    const tool = () => {
      n++;
      return r.rt.bus.publish(scope, {
        type: 'tool.started',
        callId: `call_${n}`,
        tool: 'read_file',
        input: { path: `file_${n}.txt` },
        decision: 'allow',
        rule: 'test',
        reason: 'test',
      });
    };
    for (let i = 0; i < 5; i++) tool();
    const rows = card(page, 'burst of events').locator('summary');
    await expect.poll(() => rows.count()).toBe(5);

    // Cut every socket from the server side and keep publishing while the app is away.
    const seen = await recordConnection(page);
    for (const client of r.app.websocketServer.clients) client.terminate();
    for (let i = 0; i < 25; i++) tool();
    await expect.poll(seen, { timeout: 10_000 }).toEqual(['reconnecting', 'live']);
    for (let i = 0; i < 5; i++) tool();
    await expect.poll(() => rows.count()).toBe(35);

    // The browser goes offline: the app says so, and catches up when the network is back.
    await page.context().setOffline(true);
    await page.locator('[data-connection="offline"]').waitFor({ timeout: 5_000 });
    for (let i = 0; i < 10; i++) tool();
    await page.screenshot({ path: artifact('desktop-offline.png') });
    await page.context().setOffline(false);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
    const last = tool();
    await expect.poll(() => rows.count()).toBe(46);
    const names = await rows.locator('.arg').allInnerTexts();
    expect(names).toEqual(Array.from({ length: 46 }, (_, i) => `file_${i + 1}.txt`));
    await expect
      .poll(() => page.locator('[data-last-event-id]').getAttribute('data-last-event-id'))
      .toBe(String(last.id));
  });

  it('cancels a running command from its card', async () => {
    const ralex = await web.start({ script: [{ stallMs: 20_000, text: 'too late' }] });
    const page = await openPaired(ralex);
    await typeCommand(page, 'explain how the readme is organised');
    const command = card(page, 'explain how the readme is organised');
    await command.locator('[data-phase="thinking"], [data-phase="running"]').waitFor({ timeout: 10_000 });
    await ralex.model!.waitForRequest(1);
    await command.getByRole('button', { name: 'Cancel' }).click();
    await command.and(page.locator('[data-status="cancelled"]')).waitFor({ timeout: 10_000 });
    expect(await command.locator('.chip').innerText()).toBe('Cancelled');
  });

  it('notices a connection that went silent when the page comes back to the foreground, and catches up', async () => {
    const ralex = await web.start({ script: null });
    const page = await openPaired(ralex);
    const r = ralex;
    const sessionId = (await page.evaluate(() => localStorage.getItem('ralex.session')))!;
    // The server stops reading this socket: pings go unanswered, as on a dead mobile connection.
    for (const client of r.app.websocketServer.clients) client.pause();
    r.rt.bus.publish(
      { sessionId, commandId: 'cmd_quiet' },
      { type: 'command.accepted', text: 'sent while silent', source: 'api' },
    );
    const seen = await recordConnection(page);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(seen, { timeout: 10_000 }).toEqual(['reconnecting', 'live']);
    await card(page, 'sent while silent').waitFor({ timeout: 5_000 });
    expect(await card(page, 'sent while silent').count()).toBe(1);
    // The paused socket would hold the server's shutdown until its close times out.
    for (const client of r.app.websocketServer.clients) client.terminate();
  });
});
