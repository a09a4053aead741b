import { resolve } from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { ShellRedirect, ShellStructure, SimpleCommand } from './simple-command.js';
import { DYNAMIC, type KnownVariables, wordValue } from './word-value.js';

const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const SUBSTITUTIONS = new Set(['command_substitution', 'process_substitution']);
/** Variables whose assignment or removal tampers with shell history. */
const HISTORY_VARS = /^(HISTFILE|HISTSIZE|HISTFILESIZE|HISTCONTROL|HISTIGNORE)$/;

interface Walk {
  out: ShellStructure;
  vars: KnownVariables;
  cwd: string | null;
  nextPipeline: number;
}

interface Ctx {
  pipeline?: { id: number; stage: number };
  parentId?: number;
}

/**
 * Walks a parsed bash tree and returns every simple command (in pipelines, lists, subshells,
 * blocks, loops, functions, substitutions) plus redirections and structural problems.
 * `cd` to a literal directory updates the working directory used for later commands. With
 * `assumeAssignments`, literal assignments and `for` lists give their variables values for the
 * commands after them (used only to add decisions, since a run-time value may differ).
 */
export function extractCommands(
  root: Node,
  cwd: string,
  home: string,
  options: { assumeAssignments?: boolean } = {},
): ShellStructure {
  const w: Walk = {
    out: { commands: [], redirects: [], assignments: [], doubleParens: [], problems: [] },
    vars: { HOME: home, PWD: cwd, ...(options.assumeAssignments ? { assumed: new Map() } : {}) },
    cwd,
    nextPipeline: 0,
  };
  if (root.hasError) {
    w.out.problems.push({
      rule: 'hard:parse-error',
      decision: 'ask',
      reason: 'The shell line has a syntax error, so it cannot be fully understood.',
    });
  }
  walk(root, w, {});
  return w.out;
}

function walk(node: Node, w: Walk, ctx: Ctx): number[] {
  const ids: number[] = [];
  switch (node.type) {
    case 'command':
      ids.push(...command(node, w, ctx));
      return ids;
    case 'pipeline': {
      const id = w.nextPipeline++;
      let stage = 0;
      for (const child of node.namedChildren) {
        if (!child) continue;
        ids.push(...walk(child, w, { ...ctx, pipeline: { id, stage } }));
        stage++;
      }
      return ids;
    }
    case 'redirected_statement': {
      const body =
        node.childForFieldName('body') ?? node.namedChildren.find((c) => c && !REDIRECT_TYPES.has(c.type));
      if (body) ids.push(...walk(body, w, ctx));
      for (const child of node.namedChildren) {
        if (!child || !REDIRECT_TYPES.has(child.type)) continue;
        const r = redirect(child, w, ctx, ids);
        const last = w.out.commands[ids.at(-1) ?? -1];
        // A here-doc or here-string feeds the (last) command of the statement on stdin.
        if (last && (r?.kind === 'heredoc' || r?.kind === 'herestring')) {
          last.stdinLiteral = r.dynamic ? null : (r.values[0] ?? '');
        }
      }
      return ids;
    }
    case 'function_definition':
      functionDefinition(node, w);
      break;
    case 'variable_assignment':
      assignmentProblems(node, w);
      break;
    case 'for_statement':
      if (w.vars.assumed) assumeForList(node, w);
      break;
    case 'unset_command':
      for (const c of node.namedChildren) {
        if (c && HISTORY_VARS.test(c.text)) historyProblem(w, `unset ${c.text}`);
      }
      break;
    case 'ERROR':
      w.out.problems.push({
        rule: 'hard:parse-error',
        decision: 'ask',
        reason: `Ralex cannot parse "${node.text.slice(0, 40)}".`,
      });
      break;
    case 'command_substitution':
    case 'process_substitution':
      break;
    case 'compound_statement':
      if (node.child(0)?.text === '((') w.out.doubleParens.push(node.text.slice(2, -2));
      break;
    default:
      if (REDIRECT_TYPES.has(node.type)) {
        redirect(node, w, ctx, []);
        return ids;
      }
  }
  // Commands inside a substitution feed their output to something: mark them (-1 = no owning command).
  const inner = SUBSTITUTIONS.has(node.type) ? { parentId: ctx.parentId ?? -1 } : ctx;
  for (const child of node.namedChildren) if (child) ids.push(...walk(child, w, inner));
  return ids;
}

function command(node: Node, w: Walk, ctx: Ctx): number[] {
  const id = w.out.commands.length;
  const cmd: SimpleCommand = {
    id,
    text: node.text,
    argv: [],
    nameTransformed: false,
    nameDynamic: false,
    env: [],
    redirects: [],
    cwd: w.cwd,
    ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}),
    ...(ctx.parentId !== undefined ? { parentId: ctx.parentId } : {}),
  };
  w.out.commands.push(cmd);
  const inner: Ctx = { parentId: id };
  const ids = [id];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      const name = child.childForFieldName('name')?.text ?? child.namedChildren[0]?.text ?? '';
      const valueNode = child.childForFieldName('value');
      const value = valueNode ? wordValue(valueNode, w.vars).values.join(' ') : '';
      cmd.env.push({ name, value });
      if (HISTORY_VARS.test(name)) historyProblem(w, child.text);
    } else if (REDIRECT_TYPES.has(child.type)) {
      const r = redirect(child, w, inner, [id]);
      if (r) cmd.redirects.push(r);
      if (r?.kind === 'heredoc' || r?.kind === 'herestring')
        cmd.stdinLiteral = r.dynamic ? null : (r.values[0] ?? '');
      continue;
    } else {
      const target = child.type === 'command_name' ? (child.namedChildren[0] ?? child) : child;
      const v = wordValue(target, w.vars);
      if (child.type === 'command_name') {
        cmd.nameTransformed = v.transformed;
        cmd.nameDynamic = v.dynamic;
      }
      cmd.argv.push(...v.values);
    }
    collectSubstitutions(child, w, inner);
  }
  if (cmd.argv[0] === 'cd' || cmd.argv[0] === 'pushd') changeDirectory(cmd.argv.slice(1), w);
  else if (cmd.argv[0] === 'popd') w.cwd = null;
  return ids;
}

function changeDirectory(args: string[], w: Walk): void {
  const target = args.find((a) => !a.startsWith('-') || a === '-');
  if (target === undefined) w.cwd = w.vars.HOME;
  else if (target === '-' || target.includes(DYNAMIC) || w.cwd === null) w.cwd = null;
  else w.cwd = resolve(w.cwd, target);
}

/** Walks substitutions nested anywhere inside a word or argument. */
function collectSubstitutions(node: Node, w: Walk, ctx: Ctx): void {
  if (SUBSTITUTIONS.has(node.type)) {
    for (const child of node.namedChildren) if (child) walk(child, w, { parentId: ctx.parentId });
    return;
  }
  for (const child of node.namedChildren) if (child) collectSubstitutions(child, w, ctx);
}

function redirect(node: Node, w: Walk, ctx: Ctx, commandIds: number[]): ShellRedirect | undefined {
  const opNode = node.children.find((c) => c && !c.isNamed);
  const op = opNode?.text ?? '';
  let r: ShellRedirect;
  if (node.type === 'heredoc_redirect') {
    const body = node.namedChildren.find((c) => c?.type === 'heredoc_body');
    const start = node.namedChildren.find((c) => c?.type === 'heredoc_start')?.text ?? '';
    const quoted = /['"\\]/.test(start);
    const dynamic = !!body && !quoted && body.namedChildren.some((c) => c && c.type !== 'heredoc_content');
    r = { op, kind: 'heredoc', values: [body?.text ?? ''], dynamic, cwd: w.cwd };
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'file_redirect') redirect(child, w, ctx, commandIds);
      else if (!quoted) collectSubstitutions(child, w, ctx);
    }
  } else {
    // The grammar may attach the next redirection's descriptor as an extra destination: keep them all.
    const targets = node.namedChildren.filter((c) => c && c.type !== 'file_descriptor') as Node[];
    const parts = targets.map((t) => wordValue(t, w.vars));
    const values = parts.length ? parts.flatMap((p) => p.values) : [''];
    const dynamic = parts.length === 0 || parts.some((p) => p.dynamic);
    const kind = node.type === 'herestring_redirect' ? 'herestring' : redirectKind(op, values);
    r = { op, kind, values: kind === 'herestring' ? [values.join(' ')] : values, dynamic, cwd: w.cwd };
    for (const t of targets) collectSubstitutions(t, w, ctx);
  }
  w.out.redirects.push({ ...r, commandIds });
  return r;
}

function redirectKind(op: string, values: string[]): ShellRedirect['kind'] {
  if (op === '<') return 'read';
  if (op === '>&' || op === '<&') {
    return values.every((v) => /^(\d+|-)$/.test(v)) ? 'dup' : op === '<&' ? 'read' : 'write';
  }
  return 'write';
}

function functionDefinition(node: Node, w: Walk): void {
  const name = node.childForFieldName('name')?.text ?? node.namedChildren[0]?.text;
  const body = node.childForFieldName('body') ?? node.namedChildren.at(-1);
  if (!name || !body) return;
  const calls = (n: Node): boolean =>
    (n.type === 'command_name' && n.text === name) || n.namedChildren.some((c) => !!c && calls(c));
  if (calls(body)) {
    const background = /[|&]/.test(body.text);
    w.out.problems.push({
      rule: 'default:fork-bomb',
      decision: background ? 'deny' : 'ask',
      reason: background
        ? `Function "${name}" calls itself in a pipe or in the background: a fork bomb that exhausts the machine.`
        : `Function "${name}" calls itself; unbounded recursion needs approval.`,
    });
  }
}

function assignmentProblems(node: Node, w: Walk): void {
  const name = node.childForFieldName('name')?.text ?? node.namedChildren[0]?.text ?? '';
  const valueNode = node.childForFieldName('value');
  const value = valueNode ? wordValue(valueNode, w.vars) : null;
  w.out.assignments.push({ name, value: value ? value.values.join(' ') : '' });
  if (w.vars.assumed) {
    if (value && !value.dynamic) w.vars.assumed.set(name, [value.values.join(' ')]);
    else w.vars.assumed.delete(name);
  }
  if (HISTORY_VARS.test(name)) historyProblem(w, node.text);
}

/** `for d in / ~; do …`: the loop variable takes each literal word of the list. */
function assumeForList(node: Node, w: Walk): void {
  const variable = node.childForFieldName('variable')?.text;
  if (!variable || !w.vars.assumed) return;
  const values: string[] = [];
  for (const child of node.childrenForFieldName('value')) {
    if (!child) continue;
    const v = wordValue(child, w.vars);
    if (v.dynamic) {
      w.vars.assumed.delete(variable);
      return;
    }
    values.push(...v.values);
  }
  if (values.length) w.vars.assumed.set(variable, values.slice(0, 64));
}

function historyProblem(w: Walk, text: string): void {
  w.out.problems.push({
    rule: 'default:history-tampering',
    decision: 'deny',
    reason: `"${text}" tampers with shell history, which hides what was done.`,
  });
}
