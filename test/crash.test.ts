import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyScript, openHarness, organisation, root, sampleScript, tempDatabase } from './support/campaign-harness.js';

/** Starts the worker and kills it with SIGKILL once it has sent `after` events; resolves with what it printed. */
function runAndKill(file: string, after: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'test/support/crash-worker.mjs'), file, root], {
      env: { ...process.env, LUOSHI_ORG: JSON.stringify(organisation(24, 5)) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if ((out.match(/^sent /gm) ?? []).length >= after) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

describe('given a busy run of seed 002 killed with SIGKILL', () => {
  it('when a new engine opens the file, then it is consistent and the run completes with every event applied once', async () => {
    const file = tempDatabase();
    const printed = await runAndKill(file, 120);
    expect(printed).not.toContain('done');

    const h = await openHarness(file, '2010-04-01T00:00:00');
    const instances = await h.engine.instances('k');
    expect(instances).toHaveLength(25);
    // The clock resumes from the latest moment any instance saw.
    let latest = 0;
    for (const i of instances) for (const e of await h.engine.history(i.instanceId)) latest = Math.max(latest, e.at);
    h.clock.advanceTo(latest);
    for (const i of instances) await expect(h.engine.replay(i.instanceId)).resolves.toBeTruthy();

    const script = sampleScript();
    await applyScript(h, 'k', script);
    await h.runTo('2011-01-02T00:00:00');

    const keys: string[] = [];
    for (const i of await h.engine.instances('k')) {
      const history = await h.engine.history(i.instanceId);
      expect(history.map((e) => e.revision)).toEqual(history.map((_, n) => n + 1));
      for (const e of history) if (e.idempotencyKey) keys.push(e.idempotencyKey);
      expect(i.phase).toBe('ended');
      await expect(h.engine.replay(i.instanceId)).resolves.toBeTruthy();
    }
    expect(keys.sort()).toEqual(script.map((_, n) => `step-${n}`).sort());
    expect(await h.engine.nextTimerAt()).toBeUndefined();
    expect(await h.engine.store.pendingOutbox(10)).toEqual([]);
    await h.close();
  });
});
