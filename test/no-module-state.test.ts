import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Containers whose contents can change after the module has loaded. */
const MUTABLE_CONTAINERS: ReadonlySet<string> = new Set(['Map', 'Set', 'Array']);

/**
 * Module-level mutable state that stands today, by file: none. Caches live on an engine, a plan, a
 * store or a WeakMap keyed by what they describe (issue 17). The list may only shrink: an entry that
 * is gone fails the test until it is taken off.
 */
const KNOWN: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether a declared type is read-only (`ReadonlyMap<…>`, `readonly T[]`, `Readonly<…>`, `ReadonlyArray<…>`). */
function readOnlyType(type: ts.TypeNode | undefined): boolean {
  return /^(Readonly(Map|Set|Array)?\b|readonly )/.test(type?.getText() ?? '');
}

/**
 * Whether an initialiser makes something to be filled later: a `new Map`/`Set`/`Array`, or an empty
 * `[]` or `{}` (nobody declares an empty list at module level but to push to it).
 */
function mutableContainer(init: ts.Expression | undefined): boolean {
  if (init === undefined) return false;
  if (ts.isNewExpression(init)) return ts.isIdentifier(init.expression) && MUTABLE_CONTAINERS.has(init.expression.text);
  if (ts.isArrayLiteralExpression(init)) return init.elements.length === 0;
  if (ts.isObjectLiteralExpression(init)) return init.properties.length === 0;
  return false;
}

/** Whether a declaration's line carries the `// process-wide: <reason>` marker of a deliberate registry. */
function markedProcessWide(node: ts.Node, source: ts.SourceFile, lines: readonly string[]): boolean {
  const line = lines[source.getLineAndCharacterOfPosition(node.getStart()).line] ?? '';
  return /\/\/ process-wide: \S/.test(line);
}

/**
 * The static fields of a top-level class that hold mutable state (as `Class.field`): any static field
 * not `readonly`, and a read-only one holding a container to be filled. A class's statics are module
 * state under another name.
 */
function staticState(declaration: ts.ClassDeclaration): { node: ts.Node; name: string }[] {
  const found: { node: ts.Node; name: string }[] = [];
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member)) continue;
    const modifiers = ts.getModifiers(member) ?? [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    const readOnly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
    if (readOnly && (readOnlyType(member.type) || !mutableContainer(member.initializer))) continue;
    found.push({ node: member, name: `${declaration.name?.text ?? 'class'}.${member.name.getText()}` });
  }
  return found;
}

/**
 * The names a module declares at its top level that hold mutable state: any `let` or `var`, a `const`
 * holding a `new Map`/`Set`/`Array` or an empty `[]`/`{}` not typed read-only, and a class's mutable
 * static fields. A `WeakMap` keyed by a plan or another object is a cache that lives and dies with its
 * key, and is allowed; so is a line marked `// process-wide: <reason>`.
 */
function moduleState(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement)) {
      for (const { node, name } of staticState(statement)) if (!markedProcessWide(node, source, lines)) found.push(name);
      continue;
    }
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of list.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      if (isConst && (readOnlyType(declaration.type) || !mutableContainer(declaration.initializer))) continue;
      if (markedProcessWide(declaration, source, lines)) continue;
      found.push(declaration.name.text);
    }
  }
  return found;
}

describe('no module-level mutable state', () => {
  const files = sourceFiles(join(root, 'packages')).filter((f) => f.includes('/src/'));
  const state = new Map(files.map((f) => [relative(root, f), moduleState(f)] as const).filter(([, names]) => names.length > 0));

  it('when a a package module declares mutable state at its top level, then it is one the list knows (caches live on instances)', () => {
    const unknown = [...state].flatMap(([file, names]) => names.filter((n) => !(KNOWN.get(file) ?? []).includes(n)).map((n) => `${file}: ${n}`));
    expect(unknown, 'keep caches on an engine, a plan or a store (a WeakMap keyed by the plan is fine), or mark a deliberate registry "// process-wide: <reason>"').toEqual([]);
  });

  it('when known module state is removed, then the list is shortened too', () => {
    const gone = [...KNOWN].flatMap(([file, names]) => names.filter((n) => !(state.get(file) ?? []).includes(n)).map((n) => `${file}: ${n}`));
    expect(gone, 'take these off KNOWN in test/no-module-state.test.ts').toEqual([]);
  });

  it('when a module holds a let, a mutable Map, an empty list or a mutable static at its top level, then the check finds it (and not a read-only constant, a WeakMap or a marked registry)', () => {
    const probe = [
      'let counter = 0;',
      'var legacy = 1;',
      'export let exported = 2;',
      'const cache = new Map<string, number>();',
      'const typed: Map<string, number> = new Map();',
      'const pending = [];',
      'const byName: Record<string, number> = {};',
      'const fixed: ReadonlySet<string> = new Set(["a"]);',
      'const none: readonly string[] = [];',
      'const names = ["a", "b"] as const;',
      'const byPlan = new WeakMap<object, number>();',
      'const locks = new Map<string, number>(); // process-wide: one lock per file',
      'export function f() { let inner = 1; return inner; }',
      'class Registry {',
      '  static count = 0;',
      '  static readonly known = new Map<string, number>();',
      '  static readonly limit = 3;',
      '  static readonly empty: ReadonlyMap<string, number> = new Map();',
      '  static shared = new Map<string, number>(); // process-wide: one per process',
      '  #own = new Map<string, number>();',
      '}',
    ].join('\n');
    const file = join(fileURLToPath(new URL('.', import.meta.url)), '.probe-module-state.tmp.ts');
    writeFileSync(file, probe);
    try {
      expect(moduleState(file)).toEqual(['counter', 'legacy', 'exported', 'cache', 'typed', 'pending', 'byName', 'Registry.count', 'Registry.known']);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
