// Runs seed 002 with the sample script on a SQLite file and reports progress; the crash test kills it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine, runUntil, VirtualClock } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

const [file, root] = process.argv.slice(2);
const at = (iso) => Date.parse(`${iso}+08:00`);
const steps = JSON.parse(readFileSync(join(root, 'examples/events/002-sample.json'), 'utf8'))
  .map((s, i) => ({ s, i }))
  .sort((a, b) => at(a.s.at) - at(b.s.at) || a.i - b.i)
  .map((x) => x.s);
const store = await createKyselyStore({ sqlite: file });
const clock = new VirtualClock(at('2010-04-01T00:00:00'));
const engine = createEngine({ store, clock, effects: { deliver: () => undefined } });
await engine.deploy(validateProcessPaths([join(root, 'processes')]));
await engine.startCampaign({ process: '机关作风建设年', organisation: JSON.parse(process.env.LUOSHI_ORG), campaignId: 'k' });
process.stdout.write('started\n');
// Busy: every step is sent without waiting for the previous one, so many transactions are in flight.
const inflight = [];
for (const [i, step] of steps.entries()) {
  await runUntil(engine, clock, Math.max(clock.now(), at(step.at)));
  // The same request as applyScript's (actor included): the resumed run repeats it under the same key.
  inflight.push(engine.send(`k/${step.unit}`, step.event, { idempotencyKey: `step-${i}`, ...(step.actor ? { actor: step.actor } : {}) }).then(() => process.stdout.write(`sent ${i}\n`)));
  if (i % 20 === 19) await Promise.all(inflight.splice(0));
}
await Promise.all(inflight);
process.stdout.write('done\n');
