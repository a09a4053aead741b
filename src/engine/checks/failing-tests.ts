/** Patterns that name a failing test in the output of common runners. */
const FAILURE_PATTERNS: readonly RegExp[] = [
  /^\s*not ok \d+ - (.+?)(?:\s+#.*)?$/gm, // TAP: node --test, tape
  /^FAILED (\S+?)(?: - .*)?$/gm, // pytest -q / -rf summary
  /^ERROR (\S+?)(?: - .*)?$/gm, // pytest collection/setup errors
  /^\s*--- FAIL: (\S+)/gm, // go test
  /^test (\S+) \.\.\. FAILED$/gm, // cargo test
  /^\s*[✕×] (.+?)(?: \(\d+ ?m?s\))?$/gm, // jest / vitest
];

/** The names of the failing tests a runner's output mentions (empty when it names none). */
export function failingTests(output: string): Set<string> {
  const names = new Set<string>();
  for (const pattern of FAILURE_PATTERNS) {
    for (const match of output.matchAll(pattern)) names.add(match[1]!.trim());
  }
  return names;
}
