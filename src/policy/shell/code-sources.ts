import { baseName } from '../command-pattern.js';
import { isDecoder, NETWORK_FETCHERS } from './program-catalog.js';
import type { ShellStructure, SimpleCommand } from './simple-command.js';
import { unwrapCommand } from './unwrap-command.js';
import { DYNAMIC } from './word-value.js';

const childIndex = new WeakMap<ShellStructure, Map<number, SimpleCommand[]>>();
const fetchCache = new WeakMap<SimpleCommand, boolean>();

/** Commands inside the substitutions of command `id` (and theirs, transitively). */
export function descendants(s: ShellStructure, id: number): SimpleCommand[] {
  let index = childIndex.get(s);
  if (!index) {
    index = new Map();
    for (const c of s.commands) {
      if (c.parentId === undefined) continue;
      const list = index.get(c.parentId);
      if (list) list.push(c);
      else index.set(c.parentId, [c]);
    }
    childIndex.set(s, index);
  }
  const found: SimpleCommand[] = [];
  const stack = [id];
  while (stack.length > 0) {
    for (const c of index.get(stack.pop()!) ?? []) {
      found.push(c);
      stack.push(c.id);
    }
  }
  return found;
}

/** True when a command fetches from the network, decodes data, or has a run-time program name. */
export function fetchesOrDecodes(c: SimpleCommand): boolean {
  const hit = fetchCache.get(c);
  if (hit !== undefined) return hit;
  const u = unwrapCommand(c.argv);
  const result = [c.argv, u.argv, ...u.extra].some(
    (a) => NETWORK_FETCHERS.has(baseName(a[0] ?? '')) || isDecoder(a) || (a[0] ?? '').includes(DYNAMIC),
  );
  fetchCache.set(c, result);
  return result;
}
