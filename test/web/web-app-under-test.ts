import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type RalexUnderTest, type RalexUnderTestOptions, startRalex } from '../helpers/ralex-under-test.js';
import { launchChromium } from './chromium.js';
import { ensureWebBuild } from './web-build.js';

/** The built app and one Chromium per test file; Ralex servers and browser contexts per test. */
export interface WebAppUnderTest {
  readonly browser: Browser;
  /** The built app (web/dist). */
  readonly webDir: string;
  /** Starts a real Ralex serving the built app; closed after the test. */
  start(options?: RalexUnderTestOptions): Promise<RalexUnderTest>;
  /** A fresh browser context (its own storage; service workers blocked unless asked for); closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Opens `ralex`'s pairing link in a fresh context and waits for "Live"; `watch` sees the page before it loads. */
  openPaired(
    ralex: RalexUnderTest,
    options?: BrowserContextOptions,
    watch?: (page: Page) => void,
  ): Promise<Page>;
  /** Runs `work` after the test, once its contexts and servers are closed (e.g. removing a temp folder they used). */
  afterClose(work: () => void | Promise<void>): void;
}

/**
 * Registers the set-up every browser test of the app needs: the app built (once, shared by the
 * test files running in parallel), headless Chromium launched before the file's tests and closed
 * after them, and after each test its browser contexts closed before its Ralex servers.
 * `launch` is called in `beforeAll` (e.g. to make the WAV file a fake microphone plays).
 */
export function useWebApp(launch: () => { fakeAudio?: string } = () => ({})): WebAppUnderTest {
  let browser: Browser | undefined;
  let webDir = '';
  const contexts: BrowserContext[] = [];
  const servers: RalexUnderTest[] = [];
  const cleanups: (() => void | Promise<void>)[] = [];

  beforeAll(async () => {
    webDir = await ensureWebBuild();
    browser = await launchChromium(launch());
  }, 240_000);
  afterAll(async () => browser?.close());
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    for (const server of servers.splice(0)) await server.close();
    for (const work of cleanups.splice(0)) await work();
  });

  const newContext = async (options: BrowserContextOptions = {}) => {
    const context = await browser!.newContext({ serviceWorkers: 'block', ...options });
    contexts.push(context);
    return context;
  };
  return {
    get browser() {
      return browser!;
    },
    get webDir() {
      return webDir;
    },
    async start(options = {}) {
      const ralex = await startRalex({ webDir, ...options });
      servers.push(ralex);
      return ralex;
    },
    newContext,
    async openPaired(ralex, options, watch) {
      const page = await (await newContext(options)).newPage();
      watch?.(page);
      await page.goto(`${ralex.url}/#token=${ralex.token}`);
      await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
      return page;
    },
    afterClose(work) {
      cleanups.push(work);
    },
  };
}
