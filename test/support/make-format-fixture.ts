/**
 * Makes a stored-format fixture: seed 002 over 24 units × 5 members on a SQLite file, the sample
 * script applied up to mid-year (2010-07-01), the engine closed. Run by make-format-fixture.sh inside
 * a worktree of the release whose stored format the fixture keeps; only the public API is used, so
 * the same script runs on any release. Writes `<dir>/campaign.db` and `<dir>/fixture.json`
 * (when the engine stopped and the ids of the effects it delivered).
 *
 *   tsx test/support/make-format-fixture.ts <dir>
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyScript, openHarness, organisation, sampleScript, shanghai } from './campaign-harness.js';

/** The campaign, its organisation and the cut, shared with the test that continues the fixture. */
export const FORMAT_FIXTURE = { campaignId: 'r', process: '机关作风建设年', units: 24, members: 5, start: '2010-04-01T00:00:00', cut: '2010-07-01T00:00:00' } as const;

const dir = process.argv[2];
if (dir !== undefined && process.argv[1]?.endsWith('make-format-fixture.ts')) {
  const file = join(dir, 'campaign.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const before = sampleScript().filter((s) => shanghai(s.at) < shanghai(FORMAT_FIXTURE.cut));
  const h = await openHarness(file, FORMAT_FIXTURE.start);
  await h.engine.startCampaign({ process: FORMAT_FIXTURE.process, organisation: organisation(FORMAT_FIXTURE.units, FORMAT_FIXTURE.members), campaignId: FORMAT_FIXTURE.campaignId });
  await applyScript(h, FORMAT_FIXTURE.campaignId, before);
  await h.runTo(FORMAT_FIXTURE.cut);
  const stoppedAt = h.clock.now();
  await h.close();
  writeFileSync(join(dir, 'fixture.json'), `${JSON.stringify({ steps: before.length, stoppedAt, effectIds: h.effects.map((e) => e.id) }, null, 2)}\n`);
}
