import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS } from './fixtures.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));
const listYaml = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listYaml(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
const bundled = listYaml(processesDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const library = bundled.filter((b) => b.text.includes('kind: subprocess'));
const seeds = [...bundled.map((b) => b.text), BASE_CAMPAIGN];

/** The validator's contract: a result with diagnostics, never an exception; errors explain themselves. */
function checkContract(text: string) {
  const result = validateProcessText(text, { file: 'fuzz.yaml', library: [...library, { file: 'sub.yaml', text: BASE_SUBPROCESS }] });
  expect(Array.isArray(result.diagnostics)).toBe(true);
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of result.diagnostics) {
    expect(d.code).toMatch(/^DSL_[A-Z_]+$/);
    expect(d.message.en.length).toBeGreaterThan(0);
    expect(d.message.zh.length).toBeGreaterThan(0);
  }
}

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.constantFrom(':', '- ', '{', '[', '"', '\n  ', '&a ', '*a', '!!int ', '#', '\t', '|\n')) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

type TextEdit = { kind: string; at?: number; text?: string; length?: number; a?: number; b?: number };

function applyText(text: string, m: TextEdit): string {
  if (m.kind === 'insert') {
    const at = (m.at ?? 0) % (text.length + 1);
    return text.slice(0, at) + (m.text ?? '') + text.slice(at);
  }
  if (m.kind === 'delete') {
    const at = (m.at ?? 0) % (text.length + 1);
    return text.slice(0, at) + text.slice(at + (m.length ?? 1));
  }
  const lines = text.split('\n');
  const a = (m.a ?? 0) % lines.length;
  const b = (m.b ?? 0) % lines.length;
  [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
  return lines.join('\n');
}

/** Replaces the value at a random path of the parsed document with a random value. */
function mutateValue(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [step, ...rest] = path as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const index = step % value.length;
    return value.map((v, i) => (i === index ? mutateValue(v, rest, replacement) : v));
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const index = step % entries.length;
  return Object.fromEntries(entries.map(([k, v], i) => [k, i === index ? mutateValue(v, rest, replacement) : v]));
}

describe('the validator never throws', () => {
  it('on the bundled files and the fixture with random text edits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(textMutation, { minLength: 1, maxLength: 4 }), (seed, edits) => {
        checkContract(edits.reduce((text, m) => applyText(text, m), seeds[seed] as string));
      }),
      { numRuns: 1500 },
    );
    // 1,500 validations: about 35 s alone, past the default 60 s while other test files (and worktrees) share the machine.
  }, 180_000);

  it('on structurally mutated process files (a random node replaced by a random value)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.oneof(fc.anything(), fc.string(), fc.constantFrom('', '2月30日', '开始后', 'FREQ=', 'flags.', 'end', '五评', -1, 0, 1e9)),
        (seed, path, replacement) => {
          const mutated = mutateValue(parse(seeds[seed] as string), path, replacement);
          checkContract(stringify(mutated ?? null));
          checkContract(JSON.stringify(mutated ?? null));
        },
      ),
      { numRuns: 1500 },
    );
    // 3,000 validations: about 40 s alone, more while other test files share the machine.
  }, 180_000);

  it('on arbitrary YAML documents', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.object(), fc.jsonValue()), (value) => {
        checkContract(stringify(value ?? null));
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => checkContract(text)), { numRuns: 1000 });
  });
});
