import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyScript, openHarness, root, sampleScript, shanghai, tempDatabase, type Harness } from './support/campaign-harness.js';
import { goldenDir, goldenText } from './support/golden.js';
import { FORMAT_FIXTURE } from './support/make-format-fixture.js';

/** Releases whose stored data must open and continue under this one (test/fixtures/format-<ref>/). */
const RELEASES = ['7967bde'];

async function histories(h: Harness): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const i of await h.engine.instances(FORMAT_FIXTURE.campaignId)) out[i.unitId] = await h.engine.history(i.instanceId);
  return out;
}

/*
 * An instance keeps the meaning it started with: seed 002's 季度评比检查 (an evaluation with
 * `every:`) is scored once in a campaign release 7967bde started, and once per quarter in one this
 * release starts (issue 18 defect 1; `InstanceInput.scoresPerOccurrence`). So the continued campaign
 * is compared with an uninterrupted run under the meaning it started with, kept in
 * test/golden/format-<release>-uninterrupted.json: the histories and effect ids of the run below
 * (`whole`), made by commit 90d961d, the last before the change of meaning. A campaign this release
 * starts gets this release's meaning (checked in packages/engine/test/evaluations.test.ts).
 */
describe.each(RELEASES)('given a SQLite database written by release %s at mid-year of seed 002', (release) => {
  it('when this release opens it and runs the rest of the year, then every history and effect equals an uninterrupted run with the meaning it started with', async () => {
    const dir = join(root, 'test/fixtures', `format-${release}`);
    const made = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as { steps: number; stoppedAt: number; effectIds: string[] };
    const script = sampleScript();
    expect(made.steps).toBe(script.filter((s) => shanghai(s.at) < shanghai(FORMAT_FIXTURE.cut)).length);

    const uninterrupted = JSON.parse(readFileSync(`${goldenDir}format-${release}-uninterrupted.json`, 'utf8')) as { histories: Record<string, unknown[]>; effects: string[] };
    const expected = uninterrupted.histories;
    const expectedEffects = uninterrupted.effects;

    // The fixture is copied: the committed file stays as the old release wrote it.
    const file = tempDatabase();
    copyFileSync(join(dir, 'campaign.db'), file);
    const continued = await openHarness(file, made.stoppedAt);
    await applyScript(continued, FORMAT_FIXTURE.campaignId, script.slice(made.steps), made.steps);
    await continued.runTo('2011-01-02T00:00:00');
    const actual = await histories(continued);
    expect(await continued.engine.rollup(FORMAT_FIXTURE.campaignId)).toMatchObject({ units: FORMAT_FIXTURE.units + 1, ended: FORMAT_FIXTURE.units + 1 });
    for (const unit of Object.keys(actual)) await expect(continued.engine.replay(`${FORMAT_FIXTURE.campaignId}/${unit}`)).resolves.toBeTruthy();
    await continued.close();

    expect(Object.keys(actual)).toHaveLength(FORMAT_FIXTURE.units + 1);
    // Compared as the golden file holds them (JSON: what a key order or an undefined cannot change).
    expect(JSON.parse(goldenText(actual))).toEqual(expected);
    const delivered = [...made.effectIds, ...continued.effects.map((e) => e.id)].sort();
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered).toEqual(expectedEffects);
  });
});
