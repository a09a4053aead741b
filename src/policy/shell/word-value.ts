import type { Node } from 'web-tree-sitter';
import { expandBraces } from './expand-braces.js';
import { LETTER_ESCAPES, literalOutput } from './literal-output.js';

/** Marks a part of a word whose value is only known at run time. */
export const DYNAMIC = '\u0000';

/** What a shell word evaluates to, as far as it can be known before running it. */
export interface WordValue {
  /** Literal values after quote removal, escapes and brace expansion; dynamic parts are `DYNAMIC`. */
  values: string[];
  /** True when some part depends on run time (variables, substitutions, arithmetic). */
  dynamic: boolean;
  /** True when quoting, escapes or decoding changed the text: an obfuscation signal in a command name. */
  transformed: boolean;
}

/** Variables whose value is known to the policy (`$HOME`, `$PWD`). */
export interface KnownVariables {
  HOME: string;
  PWD: string;
  /**
   * Values assumed from literal assignments and `for` lists earlier in the line. Only the extra
   * pass that looks for what those values would do sets this (see analyze-shell.ts): an
   * assumption can add a decision, never replace one.
   */
  assumed?: Map<string, string[]>;
}

/** Evaluates a word-like node (word, string, concatenation, expansion, ...) to its possible values. */
export function wordValue(node: Node, vars: KnownVariables): WordValue {
  const state = { dynamic: false, transformed: false };
  const raw = evalNode(node, vars, state, true);
  const values = /[{]/.test(raw) ? expandBraces(raw, 64) : [raw];
  return { values, dynamic: state.dynamic, transformed: state.transformed };
}

type State = { dynamic: boolean; transformed: boolean };

function evalNode(node: Node, vars: KnownVariables, st: State, first: boolean): string {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'special_variable_name':
    case 'variable_name':
      return unescapeWord(node.text, vars, st, first);
    case 'raw_string':
      st.transformed = true;
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      st.transformed = true;
      return decodeAnsiC(node.text.slice(2, -1));
    case 'string':
    case 'translated_string': {
      st.transformed = true;
      let out = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_content') out += unescapeDoubleQuoted(child.text);
        else out += evalNode(child, vars, st, false);
      }
      return out;
    }
    case 'concatenation': {
      st.transformed = true;
      let out = '';
      let i = 0;
      for (const child of node.children) {
        if (!child) continue;
        out += child.isNamed ? evalNode(child, vars, st, first && i === 0) : child.text;
        i++;
      }
      return out;
    }
    case 'simple_expansion':
    case 'expansion': {
      const name = node.namedChildren.find((c) => c?.type === 'variable_name');
      const simple = node.type === 'simple_expansion' || node.namedChildren.length === 1;
      if (name && simple && (name.text === 'HOME' || name.text === 'PWD')) return vars[name.text];
      const assumed = name && simple ? vars.assumed?.get(name.text) : undefined;
      if (assumed?.length === 1) return assumed[0]!;
      // Several values (a `for` list) become a brace group, expanded with the rest of the word.
      if (assumed && assumed.length > 1 && assumed.every((v) => !/[{},\\]/.test(v)))
        return `{${assumed.join(',')}}`;
      st.dynamic = true;
      return DYNAMIC;
    }
    case 'command_substitution': {
      // `$(echo rm)`, `$(printf '\x72\x6d')`: the output of a literal echo/printf is known now.
      const printed = substitutionOutput(node, vars);
      if (printed !== null) {
        st.transformed = true;
        return printed;
      }
      st.dynamic = true;
      return DYNAMIC;
    }
    default:
      // process substitution, arithmetic, anything else: known only at run time.
      st.dynamic = true;
      return DYNAMIC;
  }
}

/** What a command substitution prints when it is one `echo`/`printf` of literal words; null otherwise. */
function substitutionOutput(node: Node, vars: KnownVariables): string | null {
  const inner = node.namedChildren.filter((c) => c !== null);
  if (inner.length !== 1 || inner[0]!.type !== 'command') return null;
  const argv: string[] = [];
  const st: State = { dynamic: false, transformed: false };
  for (const child of inner[0]!.namedChildren) {
    if (!child) continue;
    if (
      child.type !== 'command_name' &&
      child.type !== 'word' &&
      child.type !== 'raw_string' &&
      child.type !== 'string'
    )
      return null;
    argv.push(
      evalNode(child.type === 'command_name' ? (child.namedChildren[0] ?? child) : child, vars, st, false),
    );
  }
  return st.dynamic ? null : literalOutput(argv);
}

function unescapeWord(text: string, vars: KnownVariables, st: State, first: boolean): string {
  let s = text;
  if (first && (s === '~' || s.startsWith('~/'))) s = vars.HOME + s.slice(1);
  else if (first && /^~[^/]/.test(s)) {
    st.dynamic = true;
    return DYNAMIC + s.replace(/^~[^/]*/, '');
  }
  if (!s.includes('\\')) return s;
  st.transformed = true;
  return s.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

const ANSI_C_ESCAPES: Readonly<Record<string, string>> = { ...LETTER_ESCAPES, '?': '?' };

/** Decodes the body of a `$'...'` string the way bash does. */
export function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (_m, esc: string) => {
      const c = esc[0]!;
      if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      if (/[0-7]/.test(c)) return String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
      if (c === 'c' && esc.length === 2) return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
      return ANSI_C_ESCAPES[c] ?? `\\${esc}`;
    },
  );
}
