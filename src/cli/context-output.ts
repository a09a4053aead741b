import type { ContextPreview } from '../pipeline/context.js';

// How `ralex context` prints a context package, in its own process and as the thin client of a
// running `ralex serve` alike (so this module imports types only).

/** Writes `preview` to stdout: one JSON object with `--json`, else the items as a list. */
export function printContext(preview: ContextPreview, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(preview)}\n`);
  else if (preview.direct)
    process.stdout.write(`"${preview.command.text}" is ${preview.command.intent}. ${preview.reason}\n`);
  else process.stdout.write(human(preview));
}

function human(pkg: Exclude<ContextPreview, { direct: true }>): string {
  const { command } = pkg;
  const out = [
    `Context for "${command.text}" (${command.intent}): ${pkg.items.length} items, ${pkg.tokens}/${pkg.budget} tokens`,
  ];
  pkg.items.forEach((item, i) => {
    out.push(
      `${String(i + 1).padStart(3)}. ${item.kind.padEnd(12)} ${item.ref}  ${item.tokens} tokens, score ${item.score}`,
      `       ${item.reasons.join('; ')}`,
    );
  });
  if (pkg.omitted.length) {
    out.push(`Left out (${pkg.omitted.length}):`);
    for (const o of pkg.omitted.slice(0, 8)) out.push(`  - ${o.ref} (score ${o.score}): ${o.reason}`);
  }
  if (pkg.stats) {
    const t = Object.entries(pkg.stats.timings)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ');
    out.push(
      `Index: ${pkg.stats.files} files (${pkg.stats.indexed} with content), ${pkg.stats.updatedFiles} updated; ${t}`,
      ...pkg.stats.notes,
    );
  }
  return `${out.join('\n')}\n`;
}
