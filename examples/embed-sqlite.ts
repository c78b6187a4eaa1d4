// Embedding Luoshi in an app: deploy the bundled process files, start seed 002 over a small
// organisation on an SQLite file, feed it events, let the year run on a virtual clock, and read
// the results back. Run with: npx tsx examples/embed-sqlite.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine, runUntil, VirtualClock, type Effect } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

const at = (iso: string) => Date.parse(`${iso}+08:00`);

// 1. The ports: a store (SQLite file), a clock (virtual here; omit it for the wall clock), an effects sink.
const store = await createKyselyStore({ sqlite: join(mkdtempSync(join(tmpdir(), 'luoshi-')), 'app.sqlite') });
const clock = new VirtualClock(at('2010-04-01T00:00:00'));
const delivered: Effect[] = [];
const engine = createEngine({ store, clock, effects: { deliver: (effect) => void delivered.push(effect) } });

// 2. Deploy: validation errors come back as ENGINE_INVALID_DEFINITION with file:line:column.
const versions = await engine.deploy(validateProcessPaths(['processes/']));
console.log('deployed', versions.map((v) => `${v.processId}@${v.version}`).join(', '));

// 3. Start a campaign over an organisation tree: one instance per unit.
const campaign = await engine.startCampaign({
  process: '机关作风建设年',
  campaignId: 'demo',
  organisation: {
    id: '市民政局',
    units: [
      { id: '办公室支部', members: [{ id: '张三' }, { id: '李四' }] },
      { id: '社会事务支部', members: [{ id: '王五' }] },
    ],
  },
});
console.log('instances', campaign.instances.map((i) => i.instanceId).join(', '));
engine.subscribe((change) => {
  if (change.type !== 'timer.fired') console.log(`  ${change.instanceId} r${change.revision} ${change.type} → ${change.phase}`);
});

// 4. Events from the host, each with an idempotency key so a retried request is applied once.
clock.advanceTo(at('2010-05-10T09:00:00'));
await engine.send('demo/办公室支部', { type: 'task.completed', task: '支部组织动员' }, { actor: '张三', idempotencyKey: 'req-1' });
await engine.send('demo/办公室支部', { type: 'task.completed', task: '支部组织动员' }, { actor: '张三', idempotencyKey: 'req-1' });
await runUntil(engine, clock, at('2010-07-05T09:00:00'));
await engine.send('demo/社会事务支部', { type: 'complaint.verified', member: '王五' }, { idempotencyKey: 'complaint-17' });

// 5. Queries: state, open and overdue tasks, a member's ladder level, the roll-up.
const state = await engine.state('demo/社会事务支部');
const overdue = await engine.tasks('demo/社会事务支部', { status: ['overdue'] });
const wang = (await engine.subjects('demo/社会事务支部')).find((s) => s.subject === '王五');
console.log('phase', state.phase, '| overdue', overdue.map((t) => t.item).join(', '), '| 王五 ladders', JSON.stringify(wang?.ladders));

// 6. Run to the end of the year: deadlines, recurrences and the year-end ranking fire from the store's timers.
await runUntil(engine, clock, at('2011-01-02T00:00:00'));
await engine.deliverEffects();
console.log('rollup', JSON.stringify(await engine.rollup('demo')));
console.log('effects', delivered.length, 'e.g.', delivered.find((e) => e.effect === 'admonish')?.title);
await engine.replay('demo/办公室支部'); // throws ENGINE_REPLAY_MISMATCH if the history does not rebuild the state
await engine.close();
