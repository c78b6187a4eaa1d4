import { describe, expect, it } from 'vitest';
import { monteCarlo, renderReport, resultRows } from '@luoshi/sim';
import { checkedInputs as inputs } from '../../../test/support/checked-inputs.js';
import { ITEMS_CAMPAIGN, itemsScenario } from '../../../test/support/items-campaign.js';
import { extensionsCampaign, extensionsScenario } from '../../../test/support/extensions-campaign.js';

/*
 * The report's supervision sections (issue 21, over issue 19's results): 督办事项 per month and by
 * light, and 申请延期 in total and per month, each in a table and a chart, and in results.csv's rows.
 */

/** The `<section id=…>` of a page. */
const section = (html: string, id: string) => html.match(new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`))?.[1] ?? '';

// Four units finish 整改方案 (due Friday 29 March 2024) on 30 March at noon; each asks three days
// before the due for 3 more days, and the office grants every request: 4 accepted, 4 granted, in March.
const EXTENSIONS = extensionsCampaign();
const EXTENSION_SCENARIO = extensionsScenario({ days: 3 });

// Half of the checks pass; items are due 20 days after they open.
const ITEM_SCENARIO = itemsScenario(0.5, { more: 'dueDays: { kind: fixed, mean: 20 }' });

describe('given campaigns with extension requests and with items', () => {
  it('when every unit of four asks for 3 days and is granted, then the report has 4 accepted and 4 granted in total and in March, in a table, a chart and results rows', async () => {
    const result = await monteCarlo({ ...inputs(EXTENSIONS, EXTENSION_SCENARIO, '限期整改'), runs: 1, threads: 1 });
    const html = renderReport(result, { lang: 'zh' });
    const extensions = section(html, 'extensions');
    expect(extensions).toContain('<h2>申请延期</h2>');
    expect(extensions).toContain('<td>已受理</td><td class="num" data-v="4">4</td>');
    expect(extensions).toContain('<td>批准</td><td class="num" data-v="4">4</td>');
    expect(extensions).toContain('<td>不批准</td><td class="num" data-v="0">0</td>');
    expect(extensions).toContain('<tr><td>2024-03</td><td class="num" data-v="4">4</td><td class="num" data-v="4">4</td><td class="num" data-v="0">0</td></tr>');
    expect(extensions).toContain('data-chart="extensions-monthly"');
    const rows = resultRows(result);
    expect(rows).toContainEqual(['延期', 'extensions.granted', '', 4, 4, 4]);
    expect(rows).toContainEqual(['延期', 'monthly.extensions.requested', '2024-03', 4, 4, 4]);
  });

  it("when items open, are struck off or escalate, then the report draws each month's flows side by side and the items by light stacked, with their tables", async () => {
    const result = await monteCarlo({ ...inputs(ITEMS_CAMPAIGN, ITEM_SCENARIO, '问题销号'), runs: 2, threads: 1 });
    const html = renderReport(result, { lang: 'en' });
    const items = section(html, 'items');
    expect(items).toContain('data-chart="items-monthly"');
    expect(items).toContain('data-chart="items-lights"');
    // A month's row per sample: opened, closed, escalated as spreads.
    for (const m of result.monthly) {
      const cell = (k: string) => {
        const s = m.items?.[k] ?? { mean: 0, p5: 0, p95: 0 };
        return `<td class="num" data-v="${s.mean}">${s.mean} [${s.p5}, ${s.p95}]</td>`;
      };
      expect(items).toContain(`<tr><td>${m.month}</td>${cell('opened')}${cell('closed')}${cell('escalated')}</tr>`);
    }
    expect(result.lights?.months.some((m) => Object.values(m.items ?? {}).some((s) => s.mean > 0))).toBe(true);
    // Without `lights` no unit has a light: the report has no lights section, only the items' lights.
    expect(section(html, 'lights')).toBe('');
    expect(resultRows(result).filter((r) => r[1] === 'lights.items')).toHaveLength(4 * (result.lights?.months.length ?? 0));
  });
});
