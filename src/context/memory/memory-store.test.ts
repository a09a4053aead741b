import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEMORY_FILES } from './memory-entry.js';
import { createMemoryStore, type MemoryStore } from './memory-store.js';

describe('memory store', () => {
  let dir: string;
  let store: MemoryStore;
  let n = 0;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ralex-memory-'));
    store = createMemoryStore(dir, {
      now: () => new Date(Date.UTC(2026, 10, 25, 10, n++)),
      newId: () => `m_${n}`,
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('remembers, explains and forgets, in plain markdown', async () => {
    const r = await store.remember('user_patterns', 'Prefers pytest over unittest', 'ralex memory remember');
    expect(r.status).toBe('remembered');
    const text = await readFile(join(dir, 'user_patterns.md'), 'utf8');
    expect(text).toMatch(/^# User patterns/);
    expect(text).toContain('- Prefers pytest over unittest <!-- ralex id=');
    const [entry] = await store.list('user_patterns');
    expect(entry).toMatchObject({
      text: 'Prefers pytest over unittest',
      from: 'ralex memory remember',
      byRalex: true,
    });
    expect(entry!.at).toMatch(/^2026-11-25T10:/);
    expect((await store.remember('user_patterns', 'prefers pytest over unittest', 'again')).status).toBe(
      'already known',
    );
    const gone = await store.forget('pytest');
    expect(gone.map((e) => e.text)).toEqual(['Prefers pytest over unittest']);
    expect(await store.list('user_patterns')).toEqual([]);
    // Forgotten stays forgotten when Ralex learns it again by itself; said explicitly, it comes back.
    expect((await store.remember('user_patterns', 'Prefers pytest over unittest', 'learned')).status).toBe(
      'forgotten before',
    );
    expect(
      (await store.remember('user_patterns', 'Prefers pytest over unittest', 'told', { explicit: true }))
        .status,
    ).toBe('remembered');
  });

  it('refuses to remember secrets', async () => {
    for (const text of [
      'my key is sk-live-abcdefghijklmnopqrstu',
      'OPENAI_API_KEY=abc123456',
      'use DB_PASSWORD: hunter22 for staging',
      'clone https://bob:tok3n@github.example/x.git',
      '-----BEGIN RSA PRIVATE KEY-----',
    ]) {
      const r = await store.remember('user_patterns', text, 'test');
      expect(r.status, text).toBe('refused');
    }
    expect(await readFile(join(dir, 'user_patterns.md'), 'utf8').catch(() => '')).not.toMatch(
      /hunter22|sk-live|tok3n/,
    );
    // Naming a secret file is not a secret.
    expect((await store.remember('user_patterns', 'Never commit .env files', 'test')).status).toBe(
      'remembered',
    );
  });

  it("keeps a person's edits: an edited entry is theirs, a hand-written one is kept, a generated file they edited stays", async () => {
    await store.remember('user_patterns', 'Prefers tabs', 'learned');
    const file = join(dir, 'user_patterns.md');
    const edited =
      (await readFile(file, 'utf8')).replace('Prefers tabs', 'Prefers two spaces') +
      '- Likes short commit messages\n';
    await writeFile(file, edited);
    await store.remember('user_patterns', 'Uses pnpm', 'learned');
    const after = await readFile(file, 'utf8');
    expect(after).toContain('Prefers two spaces');
    expect(after).toContain('- Likes short commit messages');
    const entries = await store.list('user_patterns');
    expect(entries.find((e) => e.text === 'Prefers two spaces')?.byRalex).toBe(false);
    expect(entries.find((e) => e.text === 'Likes short commit messages')?.from).toBe('written by you');

    expect(await store.writeGenerated('project_understanding', '## Languages\n\n- python: 3 files\n')).toBe(
      'written',
    );
    expect(await store.writeGenerated('project_understanding', '## Languages\n\n- python: 3 files\n')).toBe(
      'unchanged',
    );
    const pu = join(dir, 'project_understanding.md');
    await writeFile(pu, `${await readFile(pu, 'utf8')}\nThe API is versioned under /v2.\n`);
    expect(await store.writeGenerated('project_understanding', '## Languages\n\n- python: 4 files\n')).toBe(
      'kept your edit',
    );
    expect(await readFile(pu, 'utf8')).toContain('The API is versioned under /v2.');
  });

  it('compresses the oldest entries past the size cap instead of dropping them', async () => {
    await writeFile(
      join(dir, 'conversation_history.md'),
      '# Conversation history\n\n- A note the person wrote themselves\n',
    );
    for (let i = 0; i < 200; i++) {
      await store.remember(
        'conversation_history',
        `2026-11-${String(1 + (i % 28)).padStart(2, '0')} fix_bug "fix bug number ${i} in the parser" → succeeded`,
        `command c${i}`,
      );
    }
    const text = await readFile(join(dir, 'conversation_history.md'), 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MEMORY_FILES.conversation_history.cap + 1024);
    expect(text).toContain('- A note the person wrote themselves');
    expect(text).toMatch(
      /Earlier \(2026-11-\d\d to 2026-11-\d\d\): 2026-11-01 fix_bug "fix bug number 0 in the parser"/,
    );
    expect(text).toContain('fix bug number 199');
  });
});
