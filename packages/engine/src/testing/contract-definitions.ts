import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors/engine-error.js';
import { campaign, type ContractSuite, definition, ids, rejectionOf } from './contract-fixtures.js';

/** Definitions (流程定义) and campaigns (活动): versions, the latest, the list, duplicates. */
export function definitionsContract(suite: ContractSuite): void {
  const { write } = suite;

  describe('given definitions', () => {
    it('when versions are deployed out of order, then each reads back and the latest is the highest version', async () => {
      await write(async (tx) => {
        await tx.insertDefinition(definition('p-002', 2));
        await tx.insertDefinition(definition('p-002', 1));
        await tx.insertDefinition(definition('p-004', 1));
      });
      expect(await suite.store.getDefinition('p-002', 1)).toEqual(definition('p-002', 1));
      expect(await suite.store.getDefinition('p-002')).toEqual(definition('p-002', 2));
      expect(await suite.store.getDefinition('p-004')).toEqual(definition('p-004', 1));
      expect((await suite.store.listDefinitions()).map((d) => `${d.processId}@${d.version}`)).toEqual(['p-002@1', 'p-002@2', 'p-004@1']);
      expect(await suite.store.getDefinition('p-002', 3)).toBeUndefined();
      expect(await suite.store.getDefinition('p-000')).toBeUndefined();
      expect(await write((tx) => tx.getDefinition('p-002'))).toEqual(definition('p-002', 2));
    });

    it('when process ids differ in case and digits, then listDefinitions orders ids in binary order and versions as numbers', async () => {
      expect(await suite.store.listDefinitions()).toEqual([]);
      await write(async (tx) => {
        await tx.insertDefinition(definition('流程', 1));
        await tx.insertDefinition(definition('p-9', 10));
        await tx.insertDefinition(definition('p-9', 2));
        await tx.insertDefinition(definition('p-010', 1));
        await tx.insertDefinition(definition('P-9', 1));
      });
      // Binary order: "P" (0x50) before "p" (0x70), "0" before "9", any ASCII before a Chinese character.
      expect((await suite.store.listDefinitions()).map((d) => `${d.processId}@${d.version}`)).toEqual(['P-9@1', 'p-010@1', 'p-9@2', 'p-9@10', '流程@1']);
      expect(await suite.store.listDefinitions()).toContainEqual(definition('流程', 1));
      expect((await suite.store.getDefinition('p-9'))?.version).toBe(10);
      expect(await suite.store.getDefinition('P-9', 10)).toBeUndefined();
    });

    it('when the same process version is deployed twice, then STORE_DUPLICATE is thrown and the first stays', async () => {
      await write((tx) => tx.insertDefinition(definition('p-002', 1)));
      const error = await rejectionOf(write((tx) => tx.insertDefinition(definition('p-002', 1, { hash: 'other' }))));
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'definition' } });
      expect((await suite.store.getDefinition('p-002', 1))?.hash).toBe(definition('p-002', 1).hash);
    });
  });

  describe('given campaigns', () => {
    it('when campaigns are started, then each reads back and they are listed by start time, then id', async () => {
      await write(async (tx) => {
        await tx.insertCampaign(campaign('c2', { startedAt: 2000 }));
        await tx.insertCampaign(campaign('c3', { startedAt: 1000, year: 2011 }));
        await tx.insertCampaign(campaign('c1', { startedAt: 2000 }));
      });
      expect(await suite.store.getCampaign('c3')).toEqual(campaign('c3', { startedAt: 1000, year: 2011 }));
      expect(await suite.store.getCampaign('c9')).toBeUndefined();
      expect(ids(await suite.store.listCampaigns())).toEqual(['c3', 'c1', 'c2']);
      expect(await write((tx) => tx.getCampaign('c1'))).toEqual(campaign('c1', { startedAt: 2000 }));
    });

    it('when a campaign id is reused, then STORE_DUPLICATE is thrown', async () => {
      await write((tx) => tx.insertCampaign(campaign('c1')));
      const error = await rejectionOf(write((tx) => tx.insertCampaign(campaign('c1', { year: 2011 }))));
      expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'campaign', id: 'c1' } });
      expect((await suite.store.getCampaign('c1'))?.year).toBe(2010);
    });
  });
}
