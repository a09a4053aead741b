/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { artifact } from './chromium.js';
import { useWebApp } from './web-app-under-test.js';

const web = useWebApp();

/** $1 per million input tokens for the scripted model; a day's budget of $0.01. */
const PREFERENCES = `models:
  overrides:
    "openai:scripted-model": { input: 1, output: 2, max_output: 4000 }
budgets:
  daily: 0.01
`;

describe('budget alerts in the web app', () => {
  it('shows and says a budget crossing 80% by a call from outside the session (an OpenAI client’s pass-through)', async () => {
    const ralex = await web.start({
      preferences: PREFERENCES,
      // 8,500 prompt tokens at $1 per million: $0.0085 of the day's $0.01.
      script: [{ text: 'fine', usage: { prompt_tokens: 8500, completion_tokens: 0 } }],
    });
    const context = await web.newContext({ viewport: { width: 360, height: 740 } });
    // Speaking is on in the settings; what the browser is asked to say is recorded.
    await context.addInitScript(() => {
      localStorage.setItem('ralex.settings', JSON.stringify({ speakReplies: true }));
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
        said.push(u.text);
      };
    });
    const page = await context.newPage();
    await page.goto(`${ralex.url}/#token=${ralex.token}`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });

    const response = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'openai:scripted-model',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'x'.repeat(400) }],
      }),
    });
    expect(response.status).toBe(200);
    const banner = page.getByRole('alert', { name: 'Budget' });
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.innerText()).toMatch(/Budget 80% spent: daily \$0\.0085 of \$0\.01/);
    await page.screenshot({ path: artifact('phone-budget-alert.png') });
    await page.waitForFunction(() => (window as unknown as { said: string[] }).said.length > 0);
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said).toEqual([expect.stringMatching(/^Budget 80% spent: daily/)]);
    // The call is not this session's command: no card for it in the timeline.
    expect(await page.locator('article').count()).toBe(0);

    await banner.getByRole('button', { name: 'Dismiss' }).click();
    expect(await banner.count()).toBe(0);
  }, 60_000);
});
