import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { extensionsCampaign, extensionsScenario } from '../../../test/support/extensions-campaign.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';

/*
 * 申请延期 in `luoshi simulate`'s text summary (issue 19). Four units finish 整改方案 (due Friday 29
 * March 2024) on 30 March at noon; each asks three days before the due for 3 more days, or for 12
 * (beyond 5 working days: refused by the engine), and the office grants every request it gets.
 */
const CAMPAIGN = extensionsCampaign();

// Asking 12 days is refused on purpose: the scenario allows it (maxRefusedShare), else the run fails with SIM_TOO_MANY_REFUSED.
const scenario = (days: number) => extensionsScenario({ days, top: 'maxRefusedShare: 1' });

async function simulateText(days: number, lang: string): Promise<string> {
  // Apart: a scenario beside the process file would be read with it (and skipped, with a note).
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-ext-'));
  const scenarios = mkdtempSync(join(tmpdir(), 'luoshi-sim-ext-scenario-'));
  writeFileSync(join(dir, 'campaign.yaml'), CAMPAIGN);
  writeFileSync(join(scenarios, 'scenario.yaml'), scenario(days));
  const { code, stdout, stderr } = await runLuoshi(['simulate', join(dir, 'campaign.yaml'), '--scenario', join(scenarios, 'scenario.yaml'), '--lang', lang], {});
  expect(stderr).toBe('');
  expect(code).toBe(EXIT.ok);
  return stdout;
}

describe('given luoshi simulate on a campaign that takes extension requests', () => {
  it('when every unit asks for 3 days and is granted, then the summary counts 4 accepted and 4 granted; asking for 12 days, 4 refused by the engine with their code', async () => {
    expect(await simulateText(3, 'zh')).toContain('申请延期：受理 4，批准 4，不批准 0；被拒绝 -');
    expect(await simulateText(12, 'en')).toContain('Extension requests: accepted 0, granted 0, refused by the office 0; refused by the engine ENGINE_EXTENSION_TOO_LONG 4');
  });
});
