/**
 * The engine's history of a seed campaign, compared with a committed golden file (test/golden/).
 * `LUOSHI_UPDATE_GOLDEN=1` writes the file instead (what `npm run golden:update` does); a change is
 * then a deliberate act, and its commit says why.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Effect, Engine } from '@luoshi/engine';
import { expect } from 'vitest';
import { goldenDir, goldenText } from './golden.js';

/** Every instance's history in instance order, and every delivered effect in delivery order. */
export async function campaignRecord(engine: Engine, campaignId: string, effects: readonly Effect[]): Promise<unknown> {
  const instances = (await engine.instances(campaignId)).map((i) => i.instanceId).sort();
  const history: Record<string, unknown> = {};
  for (const id of instances) history[id] = await engine.history(id);
  return { instances, history, effects };
}

/** Asserts the campaign's record equals `test/golden/<file>` (or writes it when updating). */
export async function expectGoldenHistory(engine: Engine, campaignId: string, effects: readonly Effect[], file: string): Promise<void> {
  const text = goldenText(await campaignRecord(engine, campaignId, effects));
  const path = `${goldenDir}${file}`;
  if (process.env.LUOSHI_UPDATE_GOLDEN === '1') {
    writeFileSync(path, text);
    return;
  }
  expect(existsSync(path), `${file} is missing: run npm run golden:update`).toBe(true);
  expect(text).toBe(readFileSync(path, 'utf8'));
}
