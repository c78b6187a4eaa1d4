import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioComparison } from '@luoshi/sim';
import { EXIT } from '../src/run-cli.js';
import { root } from '../../../test/support/campaign-harness.js';
import { runLuoshi, shrunkScenario } from '../../../test/support/run-luoshi.js';

const campaign = join(root, 'processes/000-sanxing-jiguan.yaml');
const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-compare-'));

/** A seed-000 scenario on 6 units of 2 members, written beside the others of this test. */
const small = (name: string) => shrunkScenario(dir, `000-${name}`, 6, 2);
const simulate = (args: string[], lang = 'C') => runLuoshi(['simulate', campaign, ...args], { LANG: lang });

describe('given luoshi simulate with several --scenario files', () => {
  const [lax, diligent] = [small('lax'), small('diligent')];

  it('when lax and diligent are compared, then the table has both means and diligent − lax with intervals, more on-time work marked significant', async () => {
    const { code, stdout, stderr } = await simulate(['--scenario', lax, '--scenario', diligent, '--runs', '4', '--threads', '1']);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe('');
    expect(stdout).toContain('Scenario comparison: campaign 三型机关动员月, 2 scenarios, 4 run(s) each with the same seeds (2011');
    expect(stdout).toMatch(/^metric\s+000-lax\s+000-diligent\s+000-diligent − 000-lax$/m);
    // 动员大会 is one task per unit: 6 in either scenario, so its difference is 0 in every run.
    expect(stdout).toMatch(/^deadline 动员大会 tasks\s+6\s+6\s+0 \[0, 0\]$/m);
    expect(stdout).toMatch(/^deadline \S+ done on time\s+\S+\s+\S+\s+\+\S+ \[\S+, \S+\] \*$/m);
  });

  it('when the same scenario is given twice as JSON, then every difference is 0 and none significant; --out writes the comparison view', async () => {
    const out = join(dir, 'report');
    const { code, stdout } = await simulate(['--scenario', lax, '--scenario', lax, '--runs', '3', '--threads', '1', '--format', 'json', '--out', out, '--lang', 'zh']);
    expect(code).toBe(EXIT.ok);
    const c = JSON.parse(stdout) as ScenarioComparison;
    expect(c.scenarios).toEqual(['000-lax', '000-lax']);
    expect(c.runs).toBe(3);
    for (const m of c.metrics) expect(m.differences[1]).toMatchObject({ mean: 0, significant: false });
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(c);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>情景对比</h2>');
    expect(html).toContain('000-lax − 000-lax [95%]');
    expect(html).not.toContain('class="num sig"');
  });

  it('when one run each is asked, then differences say there is no interval', async () => {
    const { code, stdout } = await simulate(['--scenario', lax, '--scenario', diligent, '--runs', '1', '--lang', 'en']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('with fewer than 2 runs a difference has no interval');
    expect(stdout).toContain('[n/a]');
    expect(stdout).not.toMatch(/\] \*$/m);
  });

  it('when --db is given with two scenarios, then it is a usage error (a store keeps one run)', async () => {
    const { code, stderr } = await simulate(['--scenario', lax, '--scenario', diligent, '--db', join(dir, 'x.sqlite')]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('SIM_STORE_ONE_RUN');
  });

  it('when one of the scenario files is invalid, then its diagnostics come back and nothing runs', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'kind: scenario\nid: x\n');
    const { code, stdout, stderr } = await simulate(['--scenario', lax, '--scenario', broken]);
    expect(code).toBe(EXIT.invalid);
    expect(stdout).toBe('');
    expect(stderr).toContain(broken);
  });
});
