import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScenarioComparison } from '@luoshi/sim';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run } from '../../../test/support/run-luoshi.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const campaign = join(repo, 'processes/000-sanxing-jiguan.yaml');
const dir = mkdtempSync(join(tmpdir(), 'luoshi-from-compare-'));

/** Seed 000's baseline on 6 units of 2 members, with its id and its tasks' never-done share changed. */
function small(id: string, neverProbability: number): string {
  const text = readFileSync(join(repo, 'examples/scenarios/000-baseline.yaml'), 'utf8')
    .replace('units: 48', 'units: 6')
    .replace('membersPerUnit: 8', 'membersPerUnit: 2')
    .replace('id: 000-baseline', `id: ${id}`)
    .replace('neverProbability: 0.02', `neverProbability: ${neverProbability}`);
  const file = join(dir, `${id}.yaml`);
  writeFileSync(file, text.replace('$schema=../../packages', `$schema=${repo}packages`));
  return file;
}

describe('given seed 000 kept with --db up to 1 November 2011 and two scenarios for the rest', () => {
  it('when luoshi simulate --from is given both, then it compares them from where the campaign stands, writes the comparison, and leaves the file as it was', async () => {
    const db = join(dir, 'live.sqlite');
    const kept = await run(['simulate', campaign, '--scenario', small('recorded', 0.02), '--db', db, '--until', '2011-11-01']);
    expect(kept.code).toBe(EXIT.ok);
    const bytes = readFileSync(db);
    const [diligent, lax] = [small('diligent', 0), small('lax', 0.6)];

    const text = await run(['simulate', '--from', db, '--campaign', 'sim', '--scenario', diligent, '--scenario', lax, '--runs', '3', '--threads', '1']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toContain('Scenario comparison: campaign 三型机关动员月, 2 scenarios, 3 run(s) each with the same seeds (2011');
    expect(text.stdout).toMatch(/^metric\s+diligent\s+lax\s+lax − diligent$/m);
    expect(text.stdout).toContain('Continued from campaign sim where it stands: 2011-11-01 00:00:00 (rehearsal clock); before then, as recorded');

    const out = join(dir, 'report');
    const book = join(dir, 'book.xlsx');
    const json = await run(['simulate', '--from', db, '--campaign', 'sim', '--scenario', diligent, '--scenario', lax, '--runs', '3', '--threads', '1', '--format', 'json', '--out', out, '--xlsx', book]);
    expect(json.code).toBe(EXIT.ok);
    const c = JSON.parse(json.stdout) as ScenarioComparison;
    expect(c.scenarios).toEqual(['diligent', 'lax']);
    expect(c.results.map((r) => r.seeds)).toEqual([c.seeds, c.seeds]);
    // October is the recorded history in both: every unit's October deadlines alike.
    expect(c.results[1]?.monthly[0]).toEqual(c.results[0]?.monthly[0]);
    // Never doing 60% of the rest leaves more tasks never done.
    const neverDone = c.metrics.filter((m) => m.key[0] === 'deadlines' && m.key[2] === 'overdue').reduce((n, m) => n + (m.differences[1]?.mean ?? 0), 0);
    expect(neverDone).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(c);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('lax − diligent [95%]');
    const csv = readFileSync(join(out, 'results.csv'), 'utf8');
    expect(csv).toMatch(/^diligent,deadlines\.total,/m);
    expect(csv).toMatch(/^lax,deadlines\.total,/m);
    expect(existsSync(book)).toBe(true);
    expect(Buffer.compare(readFileSync(db), bytes)).toBe(0);
  }, 120_000);
});
