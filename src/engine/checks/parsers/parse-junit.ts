import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** Top-level suite names runners give the whole run, not a describe block. */
const GENERIC_SUITE = /^(?:pytest|mocha tests|jest tests|vitest tests|.* tests)$/i;
/** node --test's classname when a test has none. */
const PLACEHOLDER_CLASS = 'test';
const LOOKS_LIKE_FILE = /[/\\]|\.[cm]?[jt]sx?$|\.py$/;

interface OpenCase {
  attrs: Record<string, string>;
  suites: string[];
  status: ParsedTest['status'];
  errorMessage: string | null;
}

/**
 * JUnit XML as pytest (`--junitxml`), vitest (`--reporter=junit`), node --test
 * (`--test-reporter=junit`), mocha (`--reporter xunit`) and jest-junit write it. Test id:
 * `classname > describe blocks > name` without the run-wide suite names; a `<failure>` or
 * `<error>` child fails the test, `<skipped>` skips it. A case that stands for a whole file or
 * a collection failure is an error outside tests. Null when the text is not JUnit XML.
 */
export function parseJunit(xml: string): TestReport | null {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  if (!/<(?:testsuites|testsuite)\b/.test(text)) return null;
  const tests: ParsedTest[] = [];
  const errors: string[] = [];
  const suites: string[] = [];
  let open: OpenCase | null = null;
  const finish = (c: OpenCase) => {
    const name = c.attrs.name ?? '(unnamed)';
    const classname = c.attrs.classname ?? '';
    const isClass = classname !== '' && classname !== PLACEHOLDER_CLASS;
    const fileLevel = (isClass && name === classname) || (!isClass && LOOKS_LIKE_FILE.test(name));
    if (c.status === 'failed' && (fileLevel || /collection failure/i.test(c.errorMessage ?? ''))) {
      errors.push(`${name} failed to run${c.errorMessage ? `: ${firstLine(c.errorMessage)}` : ''}`);
      return;
    }
    const describe = c.suites.filter((s, i) => s !== classname && !(i === 0 && GENERIC_SUITE.test(s)));
    const file =
      c.attrs.file ??
      (isClass && (LOOKS_LIKE_FILE.test(classname) || classname.includes('.')) ? classname : undefined);
    tests.push({
      name: [...(isClass ? [classname] : []), ...describe, name].join(' > '),
      status: c.status,
      ...(file ? { file } : {}),
    });
  };
  for (const match of text.matchAll(TAG)) {
    const [, closing, tag, rawAttrs, selfClosing] = match;
    const name = tag!.toLowerCase();
    if (name === 'testsuite') {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(attributes(rawAttrs!).name ?? '');
    } else if (name === 'testcase') {
      if (closing) {
        if (open) finish(open);
        open = null;
      } else {
        const c: OpenCase = {
          attrs: attributes(rawAttrs!),
          suites: [...suites],
          status: 'passed',
          errorMessage: null,
        };
        if (selfClosing) finish(c);
        else open = c;
      }
    } else if (open && !closing && (name === 'failure' || name === 'error')) {
      open.status = 'failed';
      open.errorMessage ??= attributes(rawAttrs!).message ?? name;
    } else if (open && !closing && name === 'skipped' && open.status !== 'failed') {
      open.status = 'skipped';
    }
  }
  return buildReport('junit', 'machine', tests, { errors });
}

function attributes(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of raw.matchAll(ATTRIBUTE)) attrs[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '');
  return attrs;
}

/** XML's five named entities and numeric character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return safeChar(Number.parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith('#')) return safeChar(Number.parseInt(lower.slice(1), 10), whole);
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[lower] ?? whole;
  });
}

function safeChar(code: number, fallback: string): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? text
  );
}
