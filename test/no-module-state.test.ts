import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Containers whose contents can change after the module has loaded. */
const MUTABLE_CONTAINERS: ReadonlySet<string> = new Set(['Map', 'Set', 'Array']);

/**
 * Module-level mutable state that stands today: the JSON Schema validator compiled once on first use,
 * and the calendar's time zones kept by name. Each is to move onto an instance (issue 17). The list may
 * only shrink: an entry that is gone fails the test until it is taken off.
 */
const KNOWN: ReadonlyMap<string, readonly string[]> = new Map([
  ['packages/dsl/src/validate/schema-check.ts', ['validator']],
  ['packages/engine/src/calendar/campaign-calendar.ts', ['steadyZones']],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether a `const`'s initialiser makes a container that can be changed, unless its declared type is read-only. */
function mutableContainer(declaration: ts.VariableDeclaration): boolean {
  const init = declaration.initializer;
  if (!init || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || !MUTABLE_CONTAINERS.has(init.expression.text)) return false;
  const type = declaration.type?.getText() ?? '';
  return !/^(Readonly(Map|Set|Array)\b|readonly )/.test(type);
}

/**
 * The names a module declares at its top level that hold mutable state: any `let` or `var`, and a
 * `const` holding a `new Map`/`Set`/`Array` not typed read-only. A `WeakMap` keyed by a plan or
 * another object is a cache that lives and dies with its key, and is allowed; so is a line marked
 * `// process-wide: <reason>`.
 */
function moduleState(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of list.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      if (isConst && !mutableContainer(declaration)) continue;
      const line = lines[source.getLineAndCharacterOfPosition(declaration.getStart()).line] ?? '';
      if (/\/\/ process-wide: \S/.test(line)) continue;
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

  it('when a module holds a mutable Map at its top level, then the check finds it (and not a WeakMap or a marked registry)', () => {
    const probe = [
      'let counter = 0;',
      'const cache = new Map<string, number>();',
      'const fixed: ReadonlySet<string> = new Set(["a"]);',
      'const byPlan = new WeakMap<object, number>();',
      'const locks = new Map<string, number>(); // process-wide: one lock per file',
      'export function f() { let inner = 1; return inner; }',
    ].join('\n');
    const file = join(fileURLToPath(new URL('.', import.meta.url)), '.probe-module-state.tmp.ts');
    writeFileSync(file, probe);
    try {
      expect(moduleState(file)).toEqual(['counter', 'cache']);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
