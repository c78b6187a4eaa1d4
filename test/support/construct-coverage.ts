import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/*
 * The two halves of the construct-coverage proof (test/construct-coverage.test.ts): the property
 * paths a generated JSON Schema allows, and the full titles of the tests that exist. Both are read
 * from the files themselves, so a key added to a model type, or a test renamed, is seen without
 * anyone updating a list here.
 */

type SchemaNode = { readonly [key: string]: unknown };

const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every property path of a JSON Schema, qualified by the definition that declares it:
 * `Inspection.every`, `Trigger.fields`, `ScoreScale.min`; the schema's own top-level properties
 * under `rootName` (`Scenario.seed`). A property of an inline object continues its parent's path
 * (`Definition.outer.inner`), an array's items add `[]`, a map's values add `*`. Qualifying by
 * definition (not by every place a definition is reachable from) keeps one entry per key: a Task is
 * the same construct in a phase, a workstream or a sub-process, and where it may stand is itself
 * a key (`Phase.tasks`, `Workstream.tasks`).
 */
export function schemaPropertyPaths(schema: SchemaNode, rootName: string): string[] {
  const paths = new Set<string>();
  const walk = (node: unknown, prefix: string): void => {
    if (Array.isArray(node)) {
      for (const each of node) walk(each, prefix);
      return;
    }
    if (!isNode(node)) return;
    // A $ref's target is walked once, under its own name; it adds nothing to the path here.
    for (const combinator of ['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else', 'not']) {
      if (Object.hasOwn(node, combinator)) walk(node[combinator], prefix);
    }
    const properties = node['properties'];
    if (isNode(properties)) {
      for (const [name, value] of Object.entries(properties)) {
        paths.add(`${prefix}.${name}`);
        walk(value, `${prefix}.${name}`);
      }
    }
    if (Object.hasOwn(node, 'items')) walk(node['items'], `${prefix}[]`);
    if (isNode(node['additionalProperties'])) walk(node['additionalProperties'], `${prefix}.*`);
    const patterns = node['patternProperties'];
    if (isNode(patterns)) for (const value of Object.values(patterns)) walk(value, `${prefix}.*`);
  };
  const definitions = isNode(schema['definitions']) ? schema['definitions'] : {};
  const { definitions: _ignored, ...root } = schema;
  walk(root, rootName);
  for (const [name, definition] of Object.entries(definitions)) walk(definition, name);
  return [...paths].sort();
}

export function readSchema(file: string): SchemaNode {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isNode(parsed)) throw new Error(`${file} is not a JSON Schema object`);
  return parsed;
}

/**
 * The full titles of the tests in the `.test.ts` files of `folders` (relative to `root`), by file:
 * the `describe` titles and the `it`/`test` title joined with " > ", as vitest prints them. Only
 * titles written as plain string literals are read; a test whose title is computed cannot be named.
 */
export function testTitles(root: string, folders: readonly string[]): Map<string, Set<string>> {
  const byFile = new Map<string, Set<string>>();
  for (const folder of folders) {
    for (const name of readdirSync(join(root, folder)).filter((file) => file.endsWith('.test.ts')).sort()) {
      const file = `${folder}/${name}`;
      const titles = new Set<string>();
      const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node, chain: readonly string[]): void => {
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          const called = ts.isIdentifier(callee)
            ? callee.text
            : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
              ? callee.expression.text
              : undefined;
          const first = node.arguments[0];
          if ((called === 'describe' || called === 'it' || called === 'test') && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
            const title = [...chain, first.text];
            if (called !== 'describe') titles.add(title.join(' > '));
            for (const argument of node.arguments.slice(1)) visit(argument, title);
            return;
          }
        }
        ts.forEachChild(node, (child) => visit(child, chain));
      };
      visit(source, []);
      byFile.set(file, titles);
    }
  }
  return byFile;
}
