import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = join(root, 'packages');
const packages = readdirSync(packagesDir).filter((name) => statSync(join(packagesDir, name)).isDirectory());

/** Which workspace packages each package may depend on: dependencies point one way only. */
const ALLOWED: Record<string, readonly string[]> = {
  dsl: [],
  engine: ['dsl'],
  'store-kysely': ['dsl', 'engine'],
  sim: ['dsl', 'engine'],
  http: ['dsl', 'engine'],
  cli: ['dsl', 'engine', 'store-kysely', 'sim', 'http'],
};

/** Host and storage modules the core packages must never import. */
const FORBIDDEN_IN_CORE = ['kysely', 'better-sqlite3', 'pg', 'node:http', 'http', 'express', 'fastify'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

describe('architecture', () => {
  it('every package is one the dependency rules know', () => {
    for (const name of packages) expect(Object.keys(ALLOWED), `packages/${name} has no dependency rule`).toContain(name);
  });

  for (const name of packages) {
    it(`${name} depends only on the packages below it`, () => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8'));
      const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies })
        .filter((d) => d.startsWith('@luoshi/'))
        .map((d) => d.slice('@luoshi/'.length));
      for (const dep of declared) {
        expect(ALLOWED[name], `${name} must not depend on ${dep}`).toContain(dep);
      }
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
        for (const spec of importsOf(file)) {
          const where = relative(root, file);
          if (spec.startsWith('@luoshi/')) {
            const target = spec.slice('@luoshi/'.length).split('/')[0] as string;
            expect(ALLOWED[name], `${where}: ${name} must not import ${target}`).toContain(target);
            expect(spec.split('/').length <= 2 || spec.endsWith('/testing'), `${where}: no deep import of ${spec}`).toBe(true);
          }
          if (name === 'dsl' || name === 'engine') {
            expect(FORBIDDEN_IN_CORE.includes(spec), `${where}: ${name} must not import ${spec}`).toBe(false);
          }
          expect(spec.startsWith('.') && spec.includes('/dist/'), `${where}: import through src, not dist`).toBe(false);
        }
      }
    });

    it(`${name} never executes code from strings`, () => {
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
        const text = readFileSync(file, 'utf8');
        const where = relative(root, file);
        expect(/(^|[^.\w])eval\(/.test(text), `${where} calls eval`).toBe(false);
        expect(/new Function\(/.test(text), `${where} uses new Function`).toBe(false);
        expect(/['"](node:)?vm['"]/.test(text), `${where} imports vm`).toBe(false);
      }
    });
  }
});
