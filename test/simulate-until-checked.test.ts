import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLiveCampaign, simulateFrom, SIMULATION_CAMPAIGN_ID } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { continuing, fromDefinitions, recordUntil, scenarioOf } from './support/from-campaign.js';
import { GRADED_PROCESS, gradedCampaign, gradedScenario } from './support/graded-campaign.js';

/*
 * `until`, where a library caller asks a run to stop (ms), was taken unchecked. NaN made the run's
 * end NaN: `next > until` is never true, so once the last timer had fired the loop of `simulate`
 * spun for ever on an empty agenda, in microtasks no timeout reaches (and `monteCarlo`'s workers
 * with it). `simulateFrom` said "cannot simulate until Invalid DateTime: … already stands at …".
 * Now each is SIM_BAD_UNTIL before any run. `simulate` and `monteCarlo` run in a child process with
 * a deadline: a regression would otherwise hang this thread, and the suite with it.
 */

const sim = fileURLToPath(new URL('../packages/sim/', import.meta.url));

/** What `call` (an expression over `simulate`, `monteCarlo`, `inputs`) ends with in a child process: `ok`, the error's code, or null when it had not ended after 20 s. */
function endedWith(call: string): string | null {
  const script = `
    import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
    import { monteCarlo, simulate, validateScenarioText } from '@luoshi/sim';
    const definitions = validateParsedFiles([parseProcessText(${JSON.stringify(gradedCampaign())}, 'campaign.yaml')]);
    const scenario = validateScenarioText(${JSON.stringify(gradedScenario())}, 'scenario.yaml').scenario;
    const inputs = { definitions, processId: ${JSON.stringify(GRADED_PROCESS)}, scenario };
    try {
      await (${call});
      process.stdout.write('ok');
    } catch (error) {
      process.stdout.write(String(error.code ?? error.name));
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: sim, timeout: 20_000, encoding: 'utf8' });
  return run.status === null ? null : run.stdout;
}

describe('given a run asked to stop at NaN, which is no instant', () => {
  it('when simulate is called, then it is SIM_BAD_UNTIL at once, not a run that never ends', () => {
    expect(endedWith('simulate({ ...inputs, until: NaN })')).toBe('SIM_BAD_UNTIL');
  }, 30_000);

  it('when monteCarlo is called on a worker, then it is SIM_BAD_UNTIL before any worker starts', () => {
    expect(endedWith('monteCarlo({ ...inputs, runs: 2, threads: 2, until: NaN })')).toBe('SIM_BAD_UNTIL');
  }, 30_000);

  it('when until is an instant within the year, or Infinity (no stop), then the run ends as before', () => {
    expect(endedWith(`simulate({ ...inputs, until: ${Date.parse('2024-07-01T00:00:00+08:00')} })`)).toBe('ok');
    expect(endedWith('simulate({ ...inputs, until: Infinity })')).toBe('ok');
  }, 60_000);

  it('when simulateFrom is called, then it is SIM_BAD_UNTIL in both languages, not "until Invalid DateTime"', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'luoshi-until-nan-')), 'live.sqlite');
    const cut = Date.parse('2024-03-01T00:00:00+08:00');
    await recordUntil(file, cut, fromDefinitions());
    const store = await createKyselyStore({ sqlite: file });
    const live = await readLiveCampaign(store, SIMULATION_CAMPAIGN_ID, { now: cut }).finally(() => store.close());
    const refused = simulateFrom({ source: live, scenario: scenarioOf(continuing('后续', 0)), until: Number.NaN });
    await expect(refused).rejects.toMatchObject({
      code: 'SIM_BAD_UNTIL',
      messages: { en: 'cannot simulate until NaN: give an instant, a number of milliseconds since 1970', zh: '无法模拟至 NaN：请给出一个时刻（自 1970 年起的毫秒数）' },
    });
  }, 60_000);
});
