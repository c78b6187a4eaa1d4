import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '@luoshi/sim';
import { EXIT } from '../src/run-cli.js';
import { root } from '../../../test/support/campaign-harness.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';

/*
 * `luoshi scenario fit` on histories with nothing to estimate from: cut at the campaign's first
 * instant (zero samples), with one task of a kind done (one sample: no spread), and with every task
 * left undone (no delay seen at all). Whatever the history, the written scenario validates, says in
 * a comment what each figure rests on, and runs both from the start and from the cut.
 */

const campaign = join(root, 'processes/000-sanxing-jiguan.yaml');

/** Seed 000's baseline on one unit of one member, its tasks never done when `never`. */
function scenario(dir: string, never: boolean): string {
  let text = readFileSync(join(root, 'examples/scenarios/000-baseline.yaml'), 'utf8').replace('units: 48', 'units: 1').replace('membersPerUnit: 8', 'membersPerUnit: 1');
  if (never) text = text.replace(/neverProbability: [\d.]+/g, 'neverProbability: 1');
  const file = join(dir, never ? 'never.yaml' : 'one.yaml');
  writeFileSync(file, text.replace('$schema=../../packages', `$schema=${root}packages`));
  return file;
}

/** Runs the campaign to `until` kept in a database, fits it and returns the fitted file's path and text. */
async function fitted(never: boolean, until: string): Promise<{ db: string; file: string; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-hostile-fit-'));
  const db = join(dir, 'live.sqlite');
  const kept = await runLuoshi(['simulate', campaign, '--scenario', scenario(dir, never), '--db', db, '--until', until]);
  expect(kept.code, kept.stderr).toBe(EXIT.ok);
  const file = join(dir, 'fitted.yaml');
  const fit = await runLuoshi(['scenario', 'fit', '--from', db, '--campaign', 'sim', '--out', file]);
  expect(fit.stderr).toBe('');
  expect(fit.code).toBe(EXIT.ok);
  return { db, file, text: readFileSync(file, 'utf8') };
}

/** The fitted file validates and runs from the start and from the cut; no figure is NaN or infinite. */
async function runsBothWays(db: string, file: string, text: string): Promise<void> {
  expect(loadScenarioFile(file).diagnostics).toEqual([]);
  expect(text).not.toMatch(/NaN|Infinity|null/);
  const fromStart = await runLuoshi(['simulate', campaign, '--scenario', file]);
  expect(fromStart.stderr).toBe('');
  expect(fromStart.code).toBe(EXIT.ok);
  const fromCut = await runLuoshi(['simulate', '--from', db, '--campaign', 'sim', '--scenario', file]);
  expect(fromCut.stderr).toBe('');
  expect(fromCut.code).toBe(EXIT.ok);
}

describe('given a history with nothing, or almost nothing, to estimate from', () => {
  it('when cut at the campaign\'s first instant (zero samples), then each figure is an assumption said to be one, and the file runs both ways', async () => {
    const { db, file, text } = await fitted(false, '2011-10-01T00:00:01');
    expect(text).toContain('# no task done yet: assumed done the day it opens (not estimated)');
    expect(text).toContain('delay: { kind: fixed, mean: 0 }');
    expect(text).toContain('# 0 findings / 0 unit-months of inspection time: nothing to count yet, assumed none (not estimated)');
    expect(text).toContain('# no round judged yet: assumed rectified on time (not estimated)');
    await runsBothWays(db, file, text);
  }, 60_000);

  it('when every task was left undone (no delay seen), then neverProbability is 1 from its sample and the delay an assumption, and the file runs both ways', async () => {
    const { db, file, text } = await fitted(true, '2011-11-01');
    // The never-done share rests on its sample, said in its comment; the delay is the stated assumption.
    expect(text).toMatch(/tasks:\n\s+# no task done yet: assumed done the day it opens \(not estimated\)\n\s+delay: \{ kind: fixed, mean: 0 \}\n\s+# ([1-9]\d*) of \1 (?:task past its|tasks past their) deadline not done\n\s+neverProbability: 1\n/);
    await runsBothWays(db, file, text);
  }, 60_000);

  it('when a kind has one task done (the office at 20 October), then its delay is fixed at that one value, its sample of 1 in the comment, and the file runs both ways', async () => {
    const { db, file, text } = await fitted(false, '2011-10-20');
    expect(text).toMatch(/office:\n\s+tasks:\n\s+# days from opening to completion: 1 task done whose deadline has passed\n\s+delay: \{ kind: fixed, mean: [\d.]+ \}/);
    await runsBothWays(db, file, text);
  }, 60_000);

  it('when the campaign id is 120 Han characters and a direction override (any text without "/" is an id), then the fitted scenario\'s id is cut to 100 characters with the override as _, and the file runs both ways', async () => {
    const { db } = await fitted(false, '2011-10-20');
    const id = `${'活'.repeat(120)}\u202e`;
    const renamed = new Database(db);
    renamed.exec('pragma journal_mode = delete');
    renamed.prepare('update campaigns set id = ?').run(id);
    // 'sim' and 'sim/u01' become the new id and '<id>/u01' wherever an instance or the campaign is named.
    const rename = (table: string, column: string) => renamed.prepare(`update ${table} set ${column} = ? || substr(${column}, 4) where ${column} = 'sim' or ${column} like 'sim/%'`).run(id);
    rename('instances', 'id');
    for (const table of ['history', 'timers', 'outbox']) rename(table, 'instance_id');
    renamed.prepare('update instances set campaign_id = ?').run(id);
    renamed.prepare('update campaign_clocks set campaign_id = ?').run(id);
    renamed.close();
    const file = join(db, '..', 'renamed.yaml');
    const fit = await runLuoshi(['scenario', 'fit', '--from', db, '--campaign', id, '--out', file]);
    expect(fit.stderr).toBe('');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`id: fit-${'活'.repeat(96)}\n`);
    const loaded = loadScenarioFile(file);
    expect(loaded.diagnostics).toEqual([]);
    const fromCut = await runLuoshi(['simulate', '--from', db, '--campaign', id, '--scenario', file]);
    expect(fromCut.stderr).toBe('');
    expect(fromCut.code).toBe(EXIT.ok);
  }, 60_000);
});
