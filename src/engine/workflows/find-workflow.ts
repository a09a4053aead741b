import type { Workflow, Workflows } from '../../config/workflows-schema.js';

/** The workflow a command names, or the names that could fit when it is unclear. */
export type WorkflowMatch = { name: string; workflow: Workflow } | { name: null; candidates: string[] };

const key = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Finds a workflow by what was said: its name ("release check", "release-check"), one of its
 * trigger phrases ("prepare for code review"), or an unambiguous beginning of its name ("release").
 */
export function findWorkflow(
  workflows: Workflows,
  spokenName: string | undefined,
  request: string,
): WorkflowMatch {
  const entries = Object.entries(workflows);
  const wanted = key(spokenName ?? '');
  const said = key(request);
  const exact = entries.find(([name]) => key(name) === wanted);
  if (exact) return { name: exact[0], workflow: exact[1] };
  const triggered = entries.find(([, wf]) => wf.triggers.some((t) => said.includes(key(t))));
  if (triggered) return { name: triggered[0], workflow: triggered[1] };
  const starts = wanted
    ? entries.filter(([name]) => key(name).startsWith(wanted) || wanted.startsWith(key(name)))
    : [];
  if (starts.length === 1) return { name: starts[0]![0], workflow: starts[0]![1] };
  return { name: null, candidates: (starts.length ? starts : entries).map(([name]) => name) };
}
