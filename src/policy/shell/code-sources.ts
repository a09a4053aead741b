import { baseName } from '../command-pattern.js';
import { isDecoder, NETWORK_FETCHERS } from './program-catalog.js';
import type { ShellStructure, SimpleCommand } from './simple-command.js';
import { unwrapCommand } from './unwrap-command.js';
import { DYNAMIC } from './word-value.js';

/** Commands inside the substitutions of command `id` (and theirs, transitively). */
export function descendants(s: ShellStructure, id: number): SimpleCommand[] {
  const found: SimpleCommand[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const c of s.commands) {
      if (c.parentId === parent) {
        found.push(c);
        queue.push(c.id);
      }
    }
  }
  return found;
}

/** True when a command fetches from the network, decodes data, or has a run-time program name. */
export function fetchesOrDecodes(c: SimpleCommand): boolean {
  const u = unwrapCommand(c.argv);
  return [c.argv, u.argv, ...u.extra].some(
    (a) => NETWORK_FETCHERS.has(baseName(a[0] ?? '')) || isDecoder(a) || (a[0] ?? '').includes(DYNAMIC),
  );
}
