import type { CodeLanguage } from './file-kind.js';

/**
 * Tree-sitter queries that find symbols, one per language. `@def.<kind>` captures a defined
 * name and `@scope` the whole definition (for its line range and signature); the names a file
 * uses are read from its text (`identifiers.ts`), which is faster and catches imports too. Written after the grammars' own tags.scm, without their predicates.
 */
export const TAG_QUERIES: Record<CodeLanguage, string> = {
  python: `
(class_definition name: (identifier) @def.class) @scope
(function_definition name: (identifier) @def.function) @scope
(module (expression_statement (assignment left: (identifier) @def.constant)) @scope)`,
  javascript: `
(class_declaration name: (_) @def.class) @scope
(function_declaration name: (identifier) @def.function) @scope
(generator_function_declaration name: (identifier) @def.function) @scope
(method_definition name: (property_identifier) @def.method) @scope
(variable_declarator name: (identifier) @def.function value: [(arrow_function) (function_expression)]) @scope
(program (lexical_declaration (variable_declarator name: (identifier) @def.constant)) @scope)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @def.constant))) @scope)
(assignment_expression left: (member_expression property: (property_identifier) @def.function) right: [(arrow_function) (function_expression)]) @scope`,
  typescript: '',
  tsx: '',
  go: `
(function_declaration name: (identifier) @def.function) @scope
(method_declaration name: (field_identifier) @def.method) @scope
(type_spec name: (type_identifier) @def.type) @scope
(source_file (const_declaration (const_spec name: (identifier) @def.constant)) @scope)
(source_file (var_declaration (var_spec name: (identifier) @def.variable)) @scope)`,
  rust: `
(struct_item name: (type_identifier) @def.class) @scope
(enum_item name: (type_identifier) @def.class) @scope
(union_item name: (type_identifier) @def.class) @scope
(type_item name: (type_identifier) @def.type) @scope
(trait_item name: (type_identifier) @def.interface) @scope
(function_item name: (identifier) @def.function) @scope
(function_signature_item name: (identifier) @def.function) @scope
(mod_item name: (identifier) @def.module) @scope
(macro_definition name: (identifier) @def.macro) @scope
(const_item name: (identifier) @def.constant) @scope
(static_item name: (identifier) @def.constant) @scope`,
  java: `
(class_declaration name: (identifier) @def.class) @scope
(interface_declaration name: (identifier) @def.interface) @scope
(enum_declaration name: (identifier) @def.type) @scope
(record_declaration name: (identifier) @def.class) @scope
(annotation_type_declaration name: (identifier) @def.interface) @scope
(method_declaration name: (identifier) @def.method) @scope`,
  ruby: `
(method name: (_) @def.method) @scope
(singleton_method name: (_) @def.method) @scope
(class name: [(constant) @def.class (scope_resolution name: (_) @def.class)]) @scope
(module name: [(constant) @def.module (scope_resolution name: (_) @def.module)]) @scope`,
  c: `
(function_definition declarator: (function_declarator declarator: (identifier) @def.function)) @scope
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @def.function))) @scope
(struct_specifier name: (type_identifier) @def.class body: (_)) @scope
(enum_specifier name: (type_identifier) @def.type body: (_)) @scope
(type_definition declarator: (type_identifier) @def.type) @scope`,
  cpp: `
(function_definition declarator: (function_declarator declarator: (identifier) @def.function)) @scope
(function_definition declarator: (function_declarator declarator: (field_identifier) @def.method)) @scope
(function_definition declarator: (function_declarator declarator: (qualified_identifier name: (identifier) @def.method))) @scope
(class_specifier name: (type_identifier) @def.class body: (_)) @scope
(struct_specifier name: (type_identifier) @def.class body: (_)) @scope
(enum_specifier name: (type_identifier) @def.type body: (_)) @scope
(namespace_definition name: (namespace_identifier) @def.module) @scope`,
  csharp: `
(class_declaration name: (identifier) @def.class) @scope
(struct_declaration name: (identifier) @def.class) @scope
(interface_declaration name: (identifier) @def.interface) @scope
(enum_declaration name: (identifier) @def.type) @scope
(record_declaration name: (identifier) @def.class) @scope
(method_declaration name: (identifier) @def.method) @scope`,
  php: `
(class_declaration name: (name) @def.class) @scope
(interface_declaration name: (name) @def.interface) @scope
(trait_declaration name: (name) @def.interface) @scope
(function_definition name: (name) @def.function) @scope
(method_declaration name: (name) @def.method) @scope`,
  swift: `
(class_declaration name: (type_identifier) @def.class) @scope
(protocol_declaration name: (type_identifier) @def.interface) @scope
(function_declaration name: (simple_identifier) @def.function) @scope`,
};

const TYPESCRIPT = `
(class_declaration name: (type_identifier) @def.class) @scope
(abstract_class_declaration name: (type_identifier) @def.class) @scope
(interface_declaration name: (type_identifier) @def.interface) @scope
(type_alias_declaration name: (type_identifier) @def.type) @scope
(enum_declaration name: (identifier) @def.type) @scope
(function_declaration name: (identifier) @def.function) @scope
(generator_function_declaration name: (identifier) @def.function) @scope
(function_signature name: (identifier) @def.function) @scope
(method_definition name: (property_identifier) @def.method) @scope
(method_signature name: (property_identifier) @def.method) @scope
(abstract_method_signature name: (property_identifier) @def.method) @scope
(internal_module name: (identifier) @def.module) @scope
(variable_declarator name: (identifier) @def.function value: [(arrow_function) (function_expression)]) @scope
(program (lexical_declaration (variable_declarator name: (identifier) @def.constant)) @scope)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @def.constant))) @scope)`;
TAG_QUERIES.typescript = TYPESCRIPT;
TAG_QUERIES.tsx = TYPESCRIPT;

/** The wasm grammar file of each language in `@repomix/tree-sitter-wasms/out/`. */
export const GRAMMAR_FILES: Record<CodeLanguage, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  csharp: 'tree-sitter-c_sharp.wasm',
  php: 'tree-sitter-php.wasm',
  swift: 'tree-sitter-swift.wasm',
};
