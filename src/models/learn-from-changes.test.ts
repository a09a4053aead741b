import { describe, expect, it } from 'vitest';
import { diffRanges, overlaps } from './learn-from-changes.js';

const AGENT = `diff --git a/src/a.js b/src/a.js
--- a/src/a.js
+++ b/src/a.js
@@ -10 +10 @@ function f() {
-  return true;
+  return false;
@@ -20,0 +21,2 @@
+  one();
+  two();
`;

describe('lines a change wrote and lines edited since', () => {
  it('reads the new side of the agent’s diff and the old side of the user’s', () => {
    expect(diffRanges(AGENT, 'new')).toEqual([
      { path: 'src/a.js', start: 10, end: 11 },
      { path: 'src/a.js', start: 21, end: 23 },
    ]);
    const user = diffRanges('--- a/src/a.js\n+++ b/src/a.js\n@@ -22 +22 @@\n-  two();\n+  three();\n', 'old');
    expect(user).toEqual([{ path: 'src/a.js', start: 22, end: 23 }]);
    expect(overlaps(diffRanges(AGENT, 'new'), user)).toBe(true);
    const elsewhere = diffRanges('--- a/src/a.js\n+++ b/src/a.js\n@@ -1,0 +2 @@\n+// note\n', 'old');
    expect(overlaps(diffRanges(AGENT, 'new'), elsewhere)).toBe(false);
    const otherFile = diffRanges('--- a/src/b.js\n+++ b/src/b.js\n@@ -10 +10 @@\n-x\n+y\n', 'old');
    expect(overlaps(diffRanges(AGENT, 'new'), otherFile)).toBe(false);
  });
});
