import type { CampaignDefinition, SubProcessDefinition } from '@luoshi/dsl';

/** A campaign with the sub-processes it uses: what one deployed version holds. */
export interface ProcessBundle {
  readonly campaign: CampaignDefinition;
  readonly subprocesses: readonly SubProcessDefinition[];
}

/**
 * The bundle a campaign is deployed as: it and the sub-processes it uses, directly or through
 * another, by id. Compile a plan from this (not from every sub-process of a folder) to see what the
 * engine will run: a folder's other sub-processes would add their flags, actions and roles.
 */
export function processBundle(campaign: CampaignDefinition, library: ReadonlyMap<string, SubProcessDefinition>): ProcessBundle {
  const used = new Map<string, SubProcessDefinition>();
  const visit = (body: { uses?: { use: string }[]; workstreams?: unknown[]; parts?: unknown[] }): void => {
    for (const u of body.uses ?? []) {
      const sub = library.get(u.use);
      if (!sub || used.has(sub.id)) continue;
      used.set(sub.id, sub);
      visit(sub as never);
    }
    for (const w of [...(body.workstreams ?? []), ...(body.parts ?? [])]) visit(w as never);
  };
  for (const phase of campaign.phases) visit(phase as never);
  // By code units, not `localeCompare`: the bundle's JSON, hash and so its version must not depend
  // on the locale of the host that deploys it (zh-CN and en-US order 五评 and 满意度测评 differently).
  return { campaign, subprocesses: [...used.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
