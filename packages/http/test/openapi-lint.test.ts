import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from '@luoshi/http';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './support.js';

// Redocly's own linter (the `recommended` rules: servers, a licence, a 4XX answer on every
// operation, and the rest) over the document as served, at the root and under a prefix.
const redocly = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'luoshi-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string }[];
}

function lint(document: Record<string, unknown>, name: string): LintReport {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(document));
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  // Exit 1 when it finds an error: the report is on stdout either way.
  let out: string;
  try {
    out = execFileSync(process.execPath, [redocly, 'lint', file, '--extends', 'recommended', '--format', 'json'], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    out = String((error as { stdout?: unknown }).stdout ?? '');
  }
  return JSON.parse(out) as LintReport;
}

describe('redocly lint on /openapi.json', () => {
  it('finds no error and no warning with the recommended rules, at the root and under a prefix', () => {
    for (const [name, document] of [
      ['root', openApiDocument()],
      ['mounted', openApiDocument({ basePath: '/luoshi' })],
    ] as const) {
      const report = lint(document, name);
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`), name).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    }
  }, 120_000);

  it('names every schema readably: records are written out where used, not components named Record_string_*', () => {
    const schemas = Object.keys((openApiDocument().components as { schemas: Record<string, unknown> }).schemas);
    expect(schemas.filter((name) => !/^[A-Z][A-Za-z]*$/.test(name))).toEqual([]);
    expect(schemas).toContain('StartCampaignRequest');
  });
});
