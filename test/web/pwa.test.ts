/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifact } from './chromium.js';
import { useWebApp } from './web-app-under-test.js';

const web = useWebApp();

const pngSize = (bytes: Buffer) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

describe('the app as served: headers, manifest, icons, service worker', () => {
  it('caches hashed assets for a year, revalidates the page and sw.js, and sets a strict CSP on the page', async () => {
    const ralex = await web.start({ script: null });
    const page = await fetch(`${ralex.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${ralex.url}${asset}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const sw = await fetch(`${ralex.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(await sw.text()).toContain(JSON.stringify(asset));
    const manifest = await fetch(`${ralex.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    const body = (await manifest.json()) as {
      icons: { src: string; sizes: string; purpose: string }[];
      display: string;
    };
    expect(body.display).toBe('standalone');
    for (const icon of body.icons.filter((i) => i.src.endsWith('.png'))) {
      const bytes = Buffer.from(await (await fetch(`${ralex.url}${icon.src}`)).arrayBuffer());
      expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(pngSize(bytes).join('x')).toBe(icon.sizes);
    }
    // The API still needs the token; the app's files do not.
    expect((await fetch(`${ralex.url}/api/sessions`)).status).toBe(401);
    expect(readFileSync(join(web.webDir, 'index.html'), 'utf8')).toContain('manifest.webmanifest');
  });

  it('installs its service worker and opens from the cached shell when the server is unreachable', async () => {
    const ralex = await web.start({ script: null });
    // Service workers allowed: installing one is what this test is about.
    const context = await web.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto(`${ralex.url}/#token=${ralex.token}`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    // Chromium's own installability check (manifest, icons, service worker) finds nothing missing.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // (Browser contexts here are incognito, which only Chromium itself minds.)
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    // Without a network the app still opens and says it is offline.
    await context.setOffline(true);
    await page.reload();
    await page.locator('[data-connection="offline"]').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Talk' }).isVisible()).toBe(true);
    await page.screenshot({ path: artifact('phone-offline-shell.png') });
  });
});
