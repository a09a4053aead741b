import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { REPO_ROOT } from './web-build.js';

/** Debian's Chromium, which CI installs with `apt-get install -y chromium`. */
export const CHROMIUM = process.env.RALEX_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; `fakeAudio` feeds a WAV file to the microphone once. */
export function launchChromium(options: { fakeAudio?: string } = {}): Promise<Browser> {
  const audio = options.fakeAudio
    ? [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${options.fakeAudio}%noloop`,
      ]
    : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...audio] });
}

/** The path for a screenshot, creating the folder. */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
