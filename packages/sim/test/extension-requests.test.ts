import { describe, expect, it } from 'vitest';
import { metricsOf, monteCarlo, simulate, type SentEvent } from '@luoshi/sim';
import { checkedInputs } from '../../../test/support/checked-inputs.js';
import { extensionsCampaign, extensionsScenario } from '../../../test/support/extensions-campaign.js';

/**
 * 申请延期 in the simulator (issue 19). Four units open 整改方案 (due 29 March 2024, a Friday: due when
 * the day ends) and 整改报告 (due 27 September) on 1 January. Each finishes a task 89.5 days after it
 * opens: 30 March at noon, half a day late for 整改方案, long before 整改报告's due. A unit asks three
 * days before the due (27 March, 00:00) for a task it will not have done by then — only 整改方案 —
 * and the office answers a day later (28 March). "延期不超过5个工作日": from Friday 29 March, 1–3 April,
 * Sunday 7 April (调休, worked) and 8 April; 清明 4–6 April off.
 */
const TASKS = ['{ id: 整改方案, title: 整改方案, owner: 单位, due: 3月29日 }', '{ id: 整改报告, title: 整改报告, owner: 单位, due: 9月27日 }'];
const CAMPAIGN = (extensions?: string) => extensionsCampaign({ tasks: TASKS, ...(extensions === undefined ? {} : { extensions }) });

const scenario = (share: number, days: number, granted: number) => extensionsScenario({ share, days, granted });

const inputs = (text: string, campaign = CAMPAIGN()) => checkedInputs(campaign, text, '限期整改');

const NONE = { requested: 0, granted: 0, refused: 0, rejected: {} };

describe('extension requests in a simulation (申请延期)', () => {
  it('when every unit asks for 3 more days and the office grants all, then 整改方案 is done on time in every unit, each request counted in March', async () => {
    const sent: SentEvent[] = [];
    const result = await simulate({ ...inputs(scenario(1, 3, 1)), onSent: (s) => sent.push(s) });
    // Asked until 1 April (29 March + 3 days); done 30 March at noon: on time.
    expect(sent.filter((s) => s.event.type === 'extension.requested').map((s) => (s.event as { until: string }).until)).toEqual(['2024-04-01', '2024-04-01', '2024-04-01', '2024-04-01']);
    expect(result.deadlines['整改方案']).toMatchObject({ total: 4, onTime: 4, late: 0 });
    expect(result.deadlines['整改报告']).toMatchObject({ total: 4, onTime: 4 });
    expect(result.extensions).toMatchObject({ requested: 4, granted: 4, refused: 0, rejected: {} });
    expect(result.extensions?.months.map((m) => m.month)).toEqual(result.monthly.map((m) => m.month));
    expect(result.extensions?.months[2]).toEqual({ month: '2024-03', requested: 4, granted: 4, refused: 0, rejected: {} });
    expect(result.extensions?.months.filter((m) => m.month !== '2024-03').every((m) => m.requested + m.granted + m.refused === 0)).toBe(true);
    expect(result.events.rejected).toEqual({});
  });

  it('when the office grants none, then the requests are refused and 整改方案 is late in every unit', async () => {
    const result = await simulate(inputs(scenario(1, 3, 0)));
    expect(result.deadlines['整改方案']).toMatchObject({ total: 4, onTime: 0, late: 4 });
    expect(result.extensions).toMatchObject({ requested: 4, granted: 0, refused: 4, rejected: {} });
  });

  it('when units ask for 12 days, beyond 5 working days, then the engine refuses every request (ENGINE_EXTENSION_TOO_LONG) and nothing is decided', async () => {
    // Every request is refused on purpose: the run is told to allow it (maxRefusedShare), else it fails with SIM_TOO_MANY_REFUSED.
    const result = await simulate({ ...inputs(scenario(1, 12, 1)), maxRefusedShare: 1 });
    expect(result.extensions).toMatchObject({ requested: 0, granted: 0, refused: 0, rejected: { ENGINE_EXTENSION_TOO_LONG: 4 } });
    expect(result.extensions?.months[2]?.rejected).toEqual({ ENGINE_EXTENSION_TOO_LONG: 4 });
    expect(result.events.sent['extension.decided'] ?? 0).toBe(0);
    expect(result.deadlines['整改方案']).toMatchObject({ late: 4 });
  });

  it('when no unit asks (share 0), then nothing is requested and the result still counts extensions', async () => {
    const result = await simulate(inputs(scenario(0, 3, 1)));
    expect(result.extensions).toMatchObject(NONE);
    expect(result.deadlines['整改方案']).toMatchObject({ late: 4 });
  });

  it('when the process takes no extension requests, then no unit asks and the result has no extensions', async () => {
    const result = await simulate(inputs(scenario(1, 3, 1), CAMPAIGN('')));
    expect(result.extensions).toBeUndefined();
    expect(result.events.sent['extension.requested'] ?? 0).toBe(0);
  });

  it('when many runs are aggregated, then each count is a spread, per month too, and they are compared as metrics', async () => {
    const summary = await monteCarlo({ ...inputs(scenario(1, 3, 1)), runs: 2, threads: 1 });
    expect(summary.extensions?.granted).toEqual({ mean: 4, p5: 4, p95: 4 });
    expect(summary.extensions?.months[2]?.requested).toEqual({ mean: 4, p5: 4, p95: 4 });
    const tooLong = await simulate({ ...inputs(scenario(1, 12, 1)), maxRefusedShare: 1 });
    const metrics = metricsOf(tooLong);
    expect(metrics.get(JSON.stringify(['extensions', 'rejected', 'ENGINE_EXTENSION_TOO_LONG']))).toBe(4);
    expect(metrics.get(JSON.stringify(['extensions', 'granted']))).toBe(0);
  });
});
