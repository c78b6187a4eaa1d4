import { describe, expect, it } from 'vitest';
import { CampaignClocks, MemoryStore, VirtualClock } from '../src/index.js';

describe('given CampaignClocks over a wall clock at 1 000 000 (演练时钟)', () => {
  it('when a campaign has a rehearsal clock in the store, then it reads that time after a refresh, others the wall clock, and a clock moved back is not followed', async () => {
    const store = new MemoryStore();
    const wall = new VirtualClock(1_000_000);
    const clocks = new CampaignClocks(wall);
    await store.setCampaignClock('zf', 500);
    expect(clocks.now('zf')).toBe(1_000_000);
    await clocks.refresh(store);
    expect(clocks.now('zf')).toBe(500);
    expect(clocks.now('live')).toBe(1_000_000);
    expect(clocks.now()).toBe(1_000_000);
    await store.setCampaignClock('zf', 800);
    await clocks.refresh(store);
    expect(clocks.now('zf')).toBe(800);
    // A store that says an earlier time (another process wrote it back by hand): the clock stays.
    await store.setCampaignClock('zf', 700);
    await clocks.refresh(store);
    expect(clocks.now('zf')).toBe(800);
    await store.setCampaignClock('zf', undefined);
    await clocks.refresh(store);
    expect(clocks.now('zf')).toBe(1_000_000);
  });
});
