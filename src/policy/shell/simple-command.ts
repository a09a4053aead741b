/** One redirection as written, with its target evaluated. */
export interface ShellRedirect {
  /** The operator: `>`, `>>`, `<`, `&>`, `>|`, `<>`, `<<`, `<<<`, `>&`, ... */
  op: string;
  kind: 'write' | 'read' | 'dup' | 'heredoc' | 'herestring';
  /** Possible target paths (for write/read), literal heredoc/herestring text otherwise. */
  values: string[];
  dynamic: boolean;
  /** Working directory at that point, or null when a dynamic `cd` made it unknown. */
  cwd: string | null;
}

/** One simple command found anywhere in a shell line, with its words evaluated. */
export interface SimpleCommand {
  id: number;
  /** Source text of the command, for messages. */
  text: string;
  /** Words after quote removal and brace expansion; dynamic parts contain `DYNAMIC`. */
  argv: string[];
  /** True when the command name came from quoting, escapes or decoding (`r\m`, `'r'm`, `$'\x72m'`). */
  nameTransformed: boolean;
  /** True when the command name is only known at run time (`$(echo rm)`, `$X`). */
  nameDynamic: boolean;
  /** Environment assignments written before the command (`FOO=1 cmd`). */
  env: { name: string; value: string }[];
  redirects: ShellRedirect[];
  /** Literal text fed on stdin by a here-doc or here-string; null when it is dynamic. */
  stdinLiteral?: string | null;
  /** Pipeline membership: the same `pipeline` id, stage index from 0. */
  pipeline?: { id: number; stage: number };
  /** The command whose substitution (`$(...)`, `` `...` ``, `<(...)`) contains this one. */
  parentId?: number;
  cwd: string | null;
}

/** Everything the structural pass found in a shell line. */
export interface ShellStructure {
  commands: SimpleCommand[];
  /** Redirections attached to statements, with the ids of the commands they apply to. */
  redirects: (ShellRedirect & { commandIds: number[] })[];
  /** Assignments made as statements (`X=1`, `export X=1`), which affect later commands. */
  assignments: { name: string; value: string }[];
  /** Bodies of `(( ... ))` statements: arithmetic in bash, but nested subshells in dash/sh. */
  doubleParens: string[];
  /** Structural problems: parse errors, fork bombs, history tampering via assignments. */
  problems: { rule: string; decision: 'ask' | 'deny'; reason: string }[];
}
