/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/pipeline/parse/parse-command.js';
import { createTranscriber } from '../../src/voice/transcriber.js';
import type { RalexUnderTest } from '../helpers/ralex-under-test.js';
import { artifact } from './chromium.js';
import { readWav, speechWav } from './speech-fixture.js';
import { speak } from './talk.js';
import { useWebApp } from './web-app-under-test.js';

let speech: { path: string; seconds: number };
const web = useWebApp(() => {
  speech = speechWav('list files, execute');
  return { fakeAudio: speech.path };
});

const openPaired = (r: RalexUnderTest): Promise<Page> =>
  web.openPaired(r, { viewport: { width: 390, height: 800 }, permissions: ['microphone'] });

describe('voice input in Chromium with a fake microphone', () => {
  it('records, makes a 16 kHz mono WAV in the browser, uploads it, and runs the auto-submitted command', async () => {
    const ralex = await web.start({
      script: null,
      files: { 'README.md': '# demo\n', 'src/app.js': '1\n' },
    });
    const page = await openPaired(ralex);
    const uploads: Buffer[] = [];
    // Stand in for the recogniser: check what the browser sends, answer like Ralex does.
    await page.route('**/v1/audio/transcriptions', async (route) => {
      const request = route.request();
      expect(request.headers().authorization).toBe(`Bearer ${ralex.token}`);
      const form = await new Response(new Uint8Array(request.postDataBuffer() ?? Buffer.alloc(0)), {
        headers: { 'content-type': request.headers()['content-type']! },
      }).formData();
      expect(form.get('response_format')).toBe('json');
      uploads.push(Buffer.from(await (form.get('file') as Blob).arrayBuffer()));
      // The first utterance ends with a trigger (runs at once); the second does not (lands in the text box).
      const first = uploads.length === 1;
      await route.fulfill({
        json: first
          ? {
              text: 'list files, execute',
              command: { intent: 'list_files', files: [], autoSubmit: true, trigger: 'execute' },
            }
          : {
              text: 'show readme dot md',
              command: { intent: 'show_file', files: ['README.md'], autoSubmit: false, trigger: null },
            },
      });
    });
    await speak(page, speech.seconds);
    const command = page.locator('article', {
      has: page.locator('.said', { hasText: 'list files, execute' }),
    });
    await command.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 20_000 });
    expect(await command.locator('.reply').innerText()).toContain('src/ (1 file)');

    expect(uploads).toHaveLength(1);

    // Press and hold: recording runs while the button is held and stops on release.
    const talk = page.getByRole('button', { name: 'Talk' });
    const box = (await talk.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.locator('[data-state="listening"]').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(1_000);
    await page.mouse.up();
    await expect.poll(() => uploads.length, { timeout: 15_000 }).toBe(2);
    expect(readWav(uploads[1]!).samples.length / 16_000).toBeGreaterThan(0.8);
    await expect
      .poll(() => page.getByLabel('Command', { exact: true }).inputValue())
      .toBe('show readme dot md');
    expect(await page.getByText('edit, then send').isVisible()).toBe(true);
    expect(await page.locator('article').count()).toBe(1);
    const wav = readWav(uploads[0]!);
    expect(wav).toMatchObject({ sampleRate: 16_000, channels: 1, bits: 16 });
    const seconds = wav.samples.length / 16_000;
    expect(seconds).toBeGreaterThan(speech.seconds * 0.8);
    let peak = 0;
    for (const s of wav.samples) peak = Math.max(peak, Math.abs(s));
    expect(peak).toBeGreaterThan(2_000); // speech, not silence
  });

  it("is understood by Ralex's offline recogniser: the browser's WAV is transcribed, parsed and run", async () => {
    const files = ['README.md', 'src/app.js'];
    const ralex = await web.start({
      script: null,
      files: { 'README.md': '# demo\n', 'src/app.js': '1\n' },
    });
    const transcriber = createTranscriber({
      engines: ['pocketsphinx'],
      pocketsphinx: { cacheDir: mkdtempSync(join(tmpdir(), 'ralex-web-voice-')), files: () => files },
    });
    try {
      const page = await openPaired(ralex);
      const heard: string[] = [];
      // What POST /v1/audio/transcriptions does, in-process: the real recogniser and the parse stage.
      await page.route('**/v1/audio/transcriptions', async (route) => {
        const request = route.request();
        const form = await new Response(new Uint8Array(request.postDataBuffer() ?? Buffer.alloc(0)), {
          headers: { 'content-type': request.headers()['content-type']! },
        }).formData();
        const wav = Buffer.from(await (form.get('file') as Blob).arrayBuffer());
        const { text } = await transcriber.transcribe(wav);
        heard.push(text);
        const parsed = parseCommand(text, { files });
        await route.fulfill({
          json: {
            text,
            command: {
              intent: parsed.intent,
              files: parsed.files,
              autoSubmit: parsed.autoSubmit,
              trigger: parsed.trigger,
            },
          },
        });
      });
      await speak(page, speech.seconds);
      await expect.poll(() => heard, { timeout: 20_000 }).toHaveLength(1);
      expect(heard[0]).toMatch(/list files.*execute/);
      const command = page.locator('article[data-status="succeeded"]', {
        has: page.locator('.said', { hasText: /list files/ }),
      });
      await command.waitFor({ timeout: 20_000 });
      expect(await command.locator('.intent').innerText()).toBe('List Files');
    } finally {
      await transcriber.close();
    }
  });

  it('speaks a command to the real /v1/audio/transcriptions: transcribed, parsed, auto-submitted, executed', async () => {
    const ralex = await web.start({
      script: null,
      files: { 'README.md': '# demo\n', 'src/app.js': '1\n' },
    });
    const page = await openPaired(ralex);
    await speak(page, speech.seconds);
    const command = page.locator('article[data-status="succeeded"]', {
      has: page.locator('.said', { hasText: /list files/i }),
    });
    // The recogniser may be unsure it heard the run-now phrase: then Ralex asks back instead of
    // acting on a guess, and the user approves. Either way the spoken command runs, once.
    const askedBack = page.getByText(/^Did you say "list files/).first();
    await Promise.race([command.waitFor({ timeout: 30_000 }), askedBack.waitFor({ timeout: 30_000 })]);
    if (!(await command.isVisible())) {
      await page.screenshot({ path: artifact('phone-voice-asked-back.png') });
      await page.getByRole('button', { name: 'Approve' }).first().click();
      await command.waitFor({ timeout: 30_000 });
    }
    expect(await command.locator('.intent').innerText()).toBe('List Files');
    expect(await page.locator('article[data-status="succeeded"]').count()).toBe(1);
    await page.screenshot({ path: artifact('phone-voice-command.png') });
  });
});
