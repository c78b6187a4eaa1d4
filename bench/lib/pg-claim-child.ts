/*
 * Child process of `bench/pg.ts`: one timer worker. Opens the store on the URL given, says ready over
 * IPC, and on `{ go: { until, batch, out } }` calls `claimDueTimers(until, batch)` until it returns
 * nothing, writes the claimed timers (`instanceId\tkey` lines) to `out`, and answers
 * `{ claimed, calls, ms }`.
 */
import { writeFileSync } from 'node:fs';
import { createKyselyStore } from '@luoshi/store-kysely';

const url = process.argv[2];
if (!url) throw new Error('usage: pg-claim-child <postgres url>');
const store = await createKyselyStore({ url, maxConnections: 1 });
process.send?.({ ready: true });

process.on('message', (message: { go?: { until: number; batch: number; out: string } }) => {
  const go = message.go;
  if (!go) return;
  void (async () => {
    const lines: string[] = [];
    let calls = 0;
    const start = performance.now();
    for (;;) {
      const batch = await store.claimDueTimers(go.until, go.batch);
      calls++;
      if (batch.length === 0) break;
      for (const t of batch) lines.push(`${t.instanceId}\t${t.key}`);
    }
    const ms = performance.now() - start;
    writeFileSync(go.out, lines.join('\n'));
    process.send?.({ result: { claimed: lines.length, calls, ms } });
  })().catch((error: unknown) => process.send?.({ error: String((error as Error).stack ?? error) }));
});
process.on('disconnect', () => {
  void store.close().finally(() => process.exit(0));
});
