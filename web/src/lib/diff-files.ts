/** One line of a unified diff, classified for colouring. */
export interface DiffLine {
  kind: 'add' | 'del' | 'hunk' | 'context' | 'meta';
  text: string;
}

/** The part of a unified diff that touches one file. */
export interface FileDiff {
  path: string;
  /** What happened to the file as a whole. */
  change: 'modified' | 'added' | 'deleted' | 'renamed';
  added: number;
  removed: number;
  lines: DiffLine[];
}

const GIT_HEADER = /^diff --git a\/(.+?) b\/(.+)$/;
const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/**
 * Splits a unified diff (git or plain `---`/`+++` form) into its files, lines classified.
 * Hunk line counts are followed, so a removed line that starts with `--` is not taken for a
 * new file's header.
 */
export function splitDiff(diff: string): FileDiff[] {
  const out: FileDiff[] = [];
  let file = null as FileDiff | null;
  let oldLeft = 0;
  let newLeft = 0;
  const lines = diff.replace(/\n$/, '').split('\n');
  const start = (path: string) => {
    file = { path, change: 'modified', added: 0, removed: 0, lines: [] };
    out.push(file);
    return file;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const inHunk = oldLeft > 0 || newLeft > 0;
    if (inHunk && file) {
      const f: FileDiff = file;
      if (line.startsWith('+')) {
        f.added++;
        newLeft--;
        f.lines.push({ kind: 'add', text: line });
      } else if (line.startsWith('-')) {
        f.removed++;
        oldLeft--;
        f.lines.push({ kind: 'del', text: line });
      } else if (line.startsWith('\\')) f.lines.push({ kind: 'meta', text: line });
      else {
        oldLeft--;
        newLeft--;
        f.lines.push({ kind: 'context', text: line });
      }
      continue;
    }
    const git = GIT_HEADER.exec(line);
    if (git) {
      start(git[2]!);
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const minus = pathOf(line);
      const plus = pathOf(lines[i + 1]!);
      const f: FileDiff = file && !file.lines.length ? file : start(plus ?? minus ?? '(diff)');
      if (minus === null) f.change = 'added';
      if (plus === null) f.change = 'deleted';
      f.path = plus ?? minus ?? f.path;
      i++;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      const f: FileDiff = file ?? start('(diff)');
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      f.lines.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!file) continue;
    const f: FileDiff = file;
    // "\ No newline at end of file" follows the hunk's last line.
    if (line.startsWith('\\')) f.lines.push({ kind: 'meta', text: line });
    else if (line.startsWith('new file')) f.change = 'added';
    else if (line.startsWith('deleted file')) f.change = 'deleted';
    else if (line.startsWith('rename to ')) {
      f.change = 'renamed';
      f.path = line.slice('rename to '.length);
    }
  }
  return out;
}

/** The path in a `--- a/x` or `+++ b/x` line; null for /dev/null. */
function pathOf(line: string): string | null {
  const raw = line.slice(4).split('\t')[0]!.trim();
  return raw === '/dev/null' ? null : raw.replace(/^[ab]\//, '');
}
