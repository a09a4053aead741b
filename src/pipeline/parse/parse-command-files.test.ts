import { describe, expect, it } from 'vitest';
import { ParsedCommandSchema } from '../../command/parsed-command.js';
import { spokenFormsOfPath } from '../../command/spoken/spoken-forms.js';
import { observeCase, type ParseCase, SAMPLE_FILES } from './parse-cases.js';
import { parseCommand } from './parse-command.js';

const parse = (text: string) => parseCommand(text, { files: SAMPLE_FILES });
const check = (c: ParseCase) => {
  const { actual, expected } = observeCase(c);
  expect(actual).toEqual(expected);
  expect(ParsedCommandSchema.safeParse(parse(c.text)).success).toBe(true);
};

describe('parseCommand: file references', () => {
  it.each<ParseCase>([
    { text: 'show src/app.ts', intent: 'show_file', files: ['src/app.ts'] },
    { text: 'show `./src/index.ts`', intent: 'show_file', files: ['src/index.ts'] },
    { text: 'open user_auth.py', intent: 'show_file', files: ['src/user_auth.py'] },
    {
      text: 'fix src/components/UserAvatar.tsx:42',
      intent: 'fix_bug',
      files: ['src/components/UserAvatar.tsx'],
    },
    { text: 'read SRC/USER_AUTH.PY', intent: 'show_file', files: ['src/user_auth.py'] },
    { text: 'show me README dot MD', intent: 'show_file', files: ['README.md'] },
    { text: 'open user avatar dot t s x', intent: 'show_file', files: ['src/components/UserAvatar.tsx'] },
    { text: 'open capital r readme dot markdown', intent: 'show_file', files: ['README.md'] },
    { text: 'explain client dot typescript', intent: 'explain', files: ['src/api/v2/client.ts'] },
    {
      text: 'explain source slash api slash v two slash client dot t s',
      intent: 'explain',
      files: ['src/api/v2/client.ts'],
    },
    {
      text: 'review oh oh four two add users dot sequel',
      intent: 'review',
      files: ['src/db/migrations/0042_add_users.sql'],
    },
    { text: 'show the settings dot yaml file', intent: 'show_file', files: ['config/settings.yaml'] },
    { text: "what's in package dot jason", intent: 'show_file', files: ['package.json'] },
    { text: 'open c i dot yaml', intent: 'show_file', files: ['.github/workflows/ci.yml'] },
    {
      text: 'show docs slash getting started dot m d',
      intent: 'show_file',
      files: ['docs/getting-started.md'],
    },
    { text: 'read deploy dot s h', intent: 'show_file', files: ['scripts/deploy.sh'] },
    { text: 'open the makefile', intent: 'show_file', files: ['Makefile'] },
    // The object of a reading verb names a file as a show verb's does, with or without "the".
    { text: 'review readme', intent: 'review', files: ['README.md'] },
    { text: 'explain makefile', intent: 'explain', files: ['Makefile'] },
    { text: 'review my changes', intent: 'review', files: [] },
    { text: 'explain the readme', intent: 'explain', files: ['README.md'] },
    { text: 'update the client', intent: 'implement', files: ['src/api/v2/client.ts'] },
    { text: 'update the index', intent: 'implement', files: ['src/index.ts'] },
    { text: 'update the config', intent: 'implement' },
    {
      text: 'please add pagination to the orders page, and, uh, make it happen',
      intent: 'implement',
      autoSubmit: true,
      trigger: 'make it happen',
      request: 'add pagination to the orders page',
    },
    { text: 'cat .env.example', intent: 'show_file', files: ['.env.example'] },
    { text: 'read the test user auth file', intent: 'show_file', files: ['tests/test_user_auth.py'] },
    { text: 'fix the bug in user oath dot py', intent: 'fix_bug', files: ['src/user_auth.py'] },
    {
      text: 'the user auth module throws on empty passwords',
      intent: 'fix_bug',
      files: ['src/user_auth.py'],
    },
    {
      text: 'refactor user auth dot py and format date dot py',
      intent: 'refactor',
      files: ['src/user_auth.py', 'src/utils/format_date.py'],
    },
    {
      text: 'fix the failing test in user auth.py execute',
      intent: 'fix_bug',
      files: ['src/user_auth.py'],
      autoSubmit: true,
      trigger: 'execute',
    },
    { text: 'open settings.yml', intent: 'show_file', files: ['config/settings.yaml'] },
    {
      text: 'run the user auth tests',
      intent: 'run_tests',
      files: ['src/user_auth.py'],
      args: { filter: 'src/user_auth.py' },
    },
    { text: 'run the integration tests', intent: 'run_tests' },
    {
      text: 'run the tests in test user auth dot py',
      intent: 'run_tests',
      files: ['tests/test_user_auth.py'],
      args: { filter: 'tests/test_user_auth.py' },
    },
  ])('$text', check);

  it('asks back when two files fit equally: resolved null, both candidates', () => {
    const p = parse('fix the bug in payment service dot j s');
    expect(p.files).toEqual([]);
    expect(p.mentions).toEqual([
      {
        spoken: 'payment service dot j s',
        candidates: ['lib/paymentService.js', 'lib/payment-service.js'],
        resolved: null,
      },
    ]);
    expect(p.request).toBe('fix the bug in payment service dot j s');
    const app = parse('open app dot t s');
    expect(app.mentions[0]).toMatchObject({ resolved: null });
    expect([...app.mentions[0]!.candidates].sort()).toEqual(['src/app.ts', 'web/src/app.ts']);
  });

  it('prefers the file whose separators were said or typed', () => {
    expect(parse('open payment dash service dot j s').files).toEqual(['lib/payment-service.js']);
    expect(parse('open lib/paymentService.js').files).toEqual(['lib/paymentService.js']);
    expect(parse('open source slash app dot t s').files).toEqual(['src/app.ts']);
  });

  it('reports unknown files as mentions without candidates', () => {
    const p = parse('explain foo bar dot py');
    expect(p.files).toEqual([]);
    expect(p.mentions).toEqual([{ spoken: 'foo bar dot py', candidates: [], resolved: null }]);
    expect(parse('open nothing_here.rs').mentions).toEqual([
      { spoken: 'nothing_here.rs', candidates: [], resolved: null },
    ]);
    expect(parse('open a pull request')).toMatchObject({ intent: 'question', mentions: [] });
  });

  it('does not take URLs, abbreviations, versions, product names or stray dots for files', () => {
    for (const text of [
      'explain https://example.com/a.js',
      'is this e.g. fine',
      'upgrade to v1.2',
      'how does node.js stream this',
      'fix the dot product function',
      'bump it to version two dot oh',
      'use and slash or in the docs',
      'see config.option for details',
    ]) {
      expect(parse(text).mentions).toEqual([]);
    }
  });

  it('keeps a typed identifier in the request while listing its file', () => {
    const p = parse('rename userAvatar to avatar');
    expect(p).toMatchObject({
      intent: 'refactor',
      files: ['src/components/UserAvatar.tsx'],
      request: 'rename userAvatar to avatar',
    });
  });

  it('understands every spoken form spokenFormsOfPath gives for a file with a unique name', () => {
    const unique = [
      'src/user_auth.py',
      'src/components/LoginForm.tsx',
      'src/db/migrations/0042_add_users.sql',
      'docs/getting-started.md',
    ];
    for (const path of unique) {
      for (const form of spokenFormsOfPath(path, { max: 50 })) {
        expect(parse(`review ${form}`).files, form).toEqual([path]);
      }
    }
  });
});
