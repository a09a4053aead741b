import type { CommandResult } from '../../src/command/command-result.js';
import { sampleProject } from '../fixtures/sample-projects.js';
import type { ScriptEntry } from '../fixtures/scripted-turn.js';
import type { RalexUnderTest, RalexUnderTestOptions } from './ralex-under-test.js';

/**
 * What the scripted model answers in a scripted session: a question gets an answer with usage;
 * a fix first writes the corrected file, then says so. Usage differs per turn, so token sums
 * are checkable.
 */
export const sessionModel: ScriptEntry = (request) => {
  const messages = (request.body?.messages ?? []) as { role: string; content?: unknown }[];
  const last = messages.at(-1);
  const asked = JSON.stringify(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  if (last?.role === 'tool') return { text: 'Fixed: unknown users are refused.', usage: usage(900, 30) };
  if (/fix the failing test/i.test(asked))
    return {
      toolCalls: [
        {
          name: 'edit_file',
          arguments: {
            path: 'src/user_auth.js',
            old_text: 'if (!stored) return true;',
            new_text: 'if (!stored) return false;',
          },
        },
      ],
      usage: usage(1_200, 60),
    };
  return { text: 'authenticate checks the salted hash of the password.', usage: usage(1_000, 50) };
};

const usage = (prompt_tokens: number, completion_tokens: number) => ({
  prompt_tokens,
  completion_tokens,
  total_tokens: prompt_tokens + completion_tokens,
});

/** A clock the session moves on between commands, so its commands spread over hours as a person's would. */
export interface SessionClock {
  now: () => Date;
  advance(ms: number): void;
}

/** A clock starting `hoursAgo` before now. */
export function sessionClock(hoursAgo = 9): SessionClock {
  let offset = -hoursAgo * 3_600_000;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}

/**
 * Options for `startRalex` that a scripted session needs: the sample project with its bug (and
 * two files named alike, for an ambiguous name), the model above, a clock to move on.
 */
export const scriptedSessionProject = (clock?: SessionClock): RalexUnderTestOptions => ({
  files: {
    ...sampleProject({ bug: true }),
    'src/config.js': 'export const port = 8000;\n',
    'test/config.js': 'export const port = 0;\n',
  },
  script: [],
  preferences: 'approvals:\n  timeout_ms: 1000\n',
  ...(clock ? { clock: clock.now } : {}),
});

/** The commands of one round (ten commands); rounds repeat with small differences. */
function round(i: number): string[] {
  return [
    'what changed',
    'list files',
    'show the readme',
    `explain how authenticate works in user auth dot js (${i})`,
    'show config dot js',
    'run the tests',
    'status',
    i === 0 ? 'fix the failing test in user auth dot js, execute' : `explain format date (${i})`,
    i % 2 ? 'undo that' : 'show package dot json',
    'push',
  ];
}

/**
 * Runs `count` commands through `POST /api/commands` (wait: true) as a person would over an
 * afternoon: direct commands, questions to the model, one fix that is verified and committed,
 * an ambiguous file name (asked back), an undo right after, a push the policy asks about and
 * nobody answers. Returns every result, in order.
 */
export async function runScriptedSession(
  ralex: RalexUnderTest,
  count = 50,
  clock?: SessionClock,
): Promise<CommandResult[]> {
  ralex.model?.push(...Array.from({ length: 400 }, () => sessionModel));
  const results: CommandResult[] = [];
  for (let i = 0; results.length < count; i++) {
    // Each round is a session of its own, as a person starts afresh after a break.
    let sessionId: string | undefined;
    for (const text of round(i)) {
      if (results.length >= count) break;
      // About ten minutes between commands; an undo comes right after what it undoes.
      clock?.advance(text.startsWith('undo') ? 20_000 : 6 * 60_000 + ((results.length * 7919) % 300_000));
      const response = await ralex.call('/api/commands', {
        method: 'POST',
        body: JSON.stringify({ text, wait: true, ...(sessionId ? { sessionId } : {}) }),
      });
      const result = (await response.json()) as CommandResult;
      sessionId = result.sessionId;
      results.push(result);
    }
  }
  return results;
}
