/*
 * Child process of `bench/pg.ts`: one worker of a lifecycle measurement on PostgreSQL, for Luoshi or
 * for DBOS Transact, the same shape on both: a unit's work started, then ten steps to completion.
 *
 *   luoshi   an engine on `createKyselyStore({ url })`: per lifecycle `startCampaign` of the bench's
 *            lifecycle campaign (bench/lib/lifecycle.ts) over one unit, then ten `task.completed`
 *            sends, the last ending the instance. Each is a durable commit (the commit queue groups
 *            concurrent ones of this process into one transaction).
 *   dbos     DBOS Transact with its system database on the same server: per lifecycle one workflow
 *            run (`DBOS.registerWorkflow`) of ten durable steps (`DBOS.runStep`, each checkpointed
 *            before the next runs), awaited to its result.
 *
 * Driven over IPC: `{ go: { seconds, concurrency, prefix } }` runs `concurrency` lifecycles at once
 * for about `seconds` and answers `{ result: { lifecycles, ms, cpuMs } }` (cpuMs: this process's CPU time). Argument: `<luoshi|dbos> <url>`.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { createEngine, VirtualClock, type Engine } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { LIFECYCLE_DEFINITION, LIFECYCLE_TASKS } from './lifecycle.js';
import { poolFor, since } from './stats.js';

const [mode, url] = process.argv.slice(2);
if ((mode !== 'luoshi' && mode !== 'dbos') || !url) throw new Error('usage: pg-lifecycle-child <luoshi|dbos> <postgres url>');

/** One lifecycle by its number; throws unless it ran to its end. */
type Lifecycle = (id: string) => Promise<void>;

async function luoshi(): Promise<{ lifecycle: Lifecycle; close(): Promise<void> }> {
  const store = await createKyselyStore({ url: url as string });
  const engine: Engine = createEngine({ store, clock: new VirtualClock(Date.UTC(2010, 5, 14, 16)) });
  return {
    lifecycle: async (campaignId) => {
      const { instances } = await engine.startCampaign({ process: LIFECYCLE_DEFINITION.id, organisation: { id: 'u1' }, campaignId });
      const instanceId = (instances[0] as { instanceId: string }).instanceId;
      let phase = '';
      for (let t = 1; t <= LIFECYCLE_TASKS; t++) phase = (await engine.send(instanceId, { type: 'task.completed', task: `任务${t}` }, { actor: 'bench' })).phase;
      if (phase !== 'ended') throw new Error(`lifecycle ${campaignId} is in ${phase} after ${LIFECYCLE_TASKS} tasks, not ended`);
    },
    close: () => engine.close(),
  };
}

async function dbos(): Promise<{ lifecycle: Lifecycle; close(): Promise<void> }> {
  DBOS.setConfig({ name: 'luoshi-bench', systemDatabaseUrl: url as string, logLevel: 'error' });
  const workflow = DBOS.registerWorkflow(
    async (id: string): Promise<number> => {
      let done = 0;
      for (let t = 1; t <= LIFECYCLE_TASKS; t++) done += await DBOS.runStep(async () => 1, { name: `任务${t}` });
      if (done !== LIFECYCLE_TASKS) throw new Error(`workflow ${id} did ${done} steps`);
      return done;
    },
    { name: 'banjian' },
  );
  await DBOS.launch();
  return {
    lifecycle: async (id) => {
      // The workflow's id is the lifecycle's: started once, its steps checkpointed in the system database.
      const handle = await DBOS.startWorkflow(workflow, { workflowID: id })(id);
      const done = await handle.getResult();
      if (done !== LIFECYCLE_TASKS) throw new Error(`workflow ${id} returned ${done}`);
    },
    close: () => DBOS.shutdown(),
  };
}

const side = mode === 'luoshi' ? await luoshi() : await dbos();
process.send?.({ ready: true });

process.on('message', (message: { go?: { seconds: number; concurrency: number; prefix: string } }) => {
  const go = message.go;
  if (!go) return;
  void (async () => {
    let done = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await poolFor(go.seconds, go.concurrency, async (n) => {
      await side.lifecycle(`${go.prefix}${n}`);
      done++;
    });
    const used = process.cpuUsage(cpu);
    process.send?.({ result: { lifecycles: done, ms: since(start), cpuMs: (used.user + used.system) / 1000 } });
  })().catch((error: unknown) => process.send?.({ error: String((error as Error).stack ?? error) }));
});
process.on('disconnect', () => {
  void side.close().finally(() => process.exit(0));
});
