const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const inline = (s: string) =>
  escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s.,;:!?)])/g, '$1<em>$2</em>');

/**
 * Renders the little markdown Ralex's replies use (paragraphs, `-` lists, fenced code, inline
 * code, bold, italics) to HTML; `dropDiffBlocks` leaves out fenced diffs shown elsewhere.
 * Everything is escaped first: no HTML from the server reaches the page.
 */
export function renderMarkdown(text: string, options: { dropDiffBlocks?: boolean } = {}): string {
  const out: string[] = [];
  const lines = text.split('\n');
  let list: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    if (list.length) out.push(`<ul>${list.map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`);
    para = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      const isDiff = /^(diff --git |--- |@@ )/.test(code[0] ?? '');
      if (!(options.dropDiffBlocks && isDiff))
        out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (/^\s*[-*] /.test(line)) {
      if (para.length) flush();
      list.push(line.replace(/^\s*[-*] /, ''));
    } else if (!line.trim()) flush();
    else {
      if (list.length) flush();
      para.push(line);
    }
  }
  flush();
  return out.join('');
}
