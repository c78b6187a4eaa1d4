import { createHash } from 'node:crypto';
import { parseProcessText, validateParsedFiles, type ProcessFile, type ValidationResult } from '@luoshi/dsl';
import type { AnyStateMachine } from 'xstate';
import type { CampaignPlan } from '../../compiler/campaign-plan.js';
import { compileMachine } from '../../compiler/compile-machine.js';
import { compilePlan } from '../../compiler/compile-plan.js';
import { processBundle, type ProcessBundle } from '../../compiler/process-bundle.js';
import { EngineError } from '../../errors/engine-error.js';
import type { Clock } from '../../ports/clock.js';
import type { CampaignRecord, DefinitionRecord, Store, StoreTransaction } from '../../ports/store.js';
import { canonicalJson } from '../canonical-json.js';
import { checkedInstant } from '../instance-time.js';
import type { DeployedProcess } from '../views.js';

/** A deployed version made executable: its plan and the statechart compiled from it, both immutable. */
export interface CompiledCampaign {
  readonly plan: CampaignPlan;
  readonly machine: AnyStateMachine;
}

/** A campaign bundle ready to deploy: its content, the hash that names it, and the version it would get now. */
interface DeployCandidate {
  readonly processId: string;
  readonly body: string;
  readonly hash: string;
  readonly version: number;
}

/**
 * Compiled campaign versions (编译缓存) by process, version and content hash. Plans and statecharts
 * are immutable (actors made from one machine are independent), so every campaign of a version
 * shares one, and engines that run the same definitions may share a cache: the simulator keeps one
 * per set of definitions, so its runs, an engine each, compile a campaign once. By default each
 * engine has its own. The hash keeps a key honest across stores.
 */
export class CompiledCache {
  readonly #byKey = new Map<string, CompiledCampaign>();

  /**
   * A version compiled, from the cache when it is there. The key determines the result (the hash
   * names the body, compiled with the version), so a version compiled before it is stored is kept
   * as it is. Throws what the compiler throws.
   */
  of(version: Pick<DefinitionRecord, 'processId' | 'version' | 'hash' | 'body'>): CompiledCampaign {
    const key = compiledKey(version.processId, version.version, version.hash);
    let compiled = this.#byKey.get(key);
    if (compiled === undefined) {
      compiled = compileBody(version.body, version.version);
      this.#byKey.set(key, compiled);
    }
    return compiled;
  }
}

/**
 * The engine's definitions (流程定义): deploying campaign versions, listing them, the campaigns
 * started on each version, and the compiled version each campaign runs.
 */
export class Definitions {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #compiled: CompiledCache;
  readonly #campaigns = new Map<string, CampaignRecord>();
  /** The compiled version of each campaign seen, by campaign id: a campaign runs one version for its whole life. */
  readonly #byCampaign = new Map<string, CompiledCampaign>();

  constructor(store: Store, clock: Clock, compiled: CompiledCache) {
    this.#store = store;
    this.#clock = clock;
    this.#compiled = compiled;
  }

  /** See `Engine.deploy`. */
  async deploy(definitions: readonly ProcessFile[] | ValidationResult): Promise<DeployedProcess[]> {
    const result = checkedDefinitions(definitions);
    const candidates = await this.#candidates(result);
    // Compiled before anything is written, with the version each would get: a bundle the compiler
    // refuses is never deployed, and the plan kept is the one its campaigns will run.
    for (const candidate of candidates) this.#compiled.of(candidate);
    return this.#store.transaction(async (tx) => {
      const out: DeployedProcess[] = [];
      for (const candidate of candidates) out.push(await this.#deployOne(tx, candidate));
      return out;
    });
  }

  /** Each campaign of a valid result as a bundle, with the version it would get against the latest one stored. */
  async #candidates(result: ValidationResult): Promise<DeployCandidate[]> {
    const out: DeployCandidate[] = [];
    for (const bundle of bundlesOf(result)) {
      const latest = await this.#store.getDefinition(bundle.processId);
      out.push({ ...bundle, version: nextVersion(latest, bundle.hash) });
    }
    return out;
  }

  /** Stores a candidate as a new version when its content changed since the latest; else names the latest. */
  async #deployOne(tx: StoreTransaction, candidate: DeployCandidate): Promise<DeployedProcess> {
    const { processId, body, hash } = candidate;
    const latest = await tx.getDefinition(processId);
    const version = nextVersion(latest, hash);
    if (latest?.version === version) return { processId, version, created: false };
    await tx.insertDefinition({ processId, version, hash, body, deployedAt: checkedInstant(this.#clock.now()) });
    return { processId, version, created: true };
  }

  /** See `Engine.processes`. */
  async processes(): Promise<{ readonly processId: string; readonly latest: number; readonly versions: readonly { version: number; deployedAt: number; hash: string }[] }[]> {
    const byId = new Map<string, { version: number; deployedAt: number; hash: string }[]>();
    for (const d of await this.#store.listDefinitions()) {
      const versions = byId.get(d.processId) ?? [];
      versions.push({ version: d.version, deployedAt: d.deployedAt, hash: d.hash });
      byId.set(d.processId, versions);
    }
    return [...byId].map(([processId, versions]) => ({ processId, latest: Math.max(...versions.map((v) => v.version)), versions }));
  }

  /** A deployed version made executable (compiled once per version). */
  compile(definition: DefinitionRecord): CompiledCampaign {
    return this.#compiled.of(definition);
  }

  /** A campaign just committed: its record and compiled version are known from now on. */
  started(campaign: CampaignRecord, compiled: CompiledCampaign): void {
    this.#campaigns.set(campaign.id, campaign);
    this.#byCampaign.set(campaign.id, compiled);
  }

  /** A campaign's record, read once. Throws ENGINE_CAMPAIGN_NOT_FOUND. */
  async campaign(campaignId: string, tx?: StoreTransaction): Promise<CampaignRecord> {
    let campaign = this.#campaigns.get(campaignId);
    if (!campaign) {
      campaign = await (tx ?? this.#store).getCampaign(campaignId);
      if (!campaign) throw new EngineError('ENGINE_CAMPAIGN_NOT_FOUND', { id: campaignId });
      this.#campaigns.set(campaignId, campaign);
    }
    return campaign;
  }

  /** The compiled version of a campaign when it is already known, without a promise per event. */
  compiledNow(campaignId: string): CompiledCampaign | undefined {
    return this.#byCampaign.get(campaignId);
  }

  /** The compiled version of a campaign, read and compiled when first asked for. */
  async compiledFor(campaignId: string, tx?: StoreTransaction): Promise<CompiledCampaign> {
    const known = this.#byCampaign.get(campaignId);
    if (known) return known;
    const campaign = await this.campaign(campaignId, tx);
    const definition = await (tx ?? this.#store).getDefinition(campaign.processId, campaign.version);
    if (!definition) throw new EngineError('ENGINE_PROCESS_NOT_FOUND', { id: `${campaign.processId}@${campaign.version}` });
    const compiled = this.#compiled.of(definition);
    this.#byCampaign.set(campaignId, compiled);
    return compiled;
  }
}

/** Definitions checked as the DSL checks files (a validation result is taken as it is). Throws ENGINE_INVALID_DEFINITION. */
export function checkedDefinitions(definitions: readonly ProcessFile[] | ValidationResult): ValidationResult {
  const result = 'files' in definitions ? definitions : validateDefinitions(definitions);
  if (result.ok) return result;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  throw new EngineError('ENGINE_INVALID_DEFINITION', { detail: errors.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message.en}`).join('; ') });
}

/** Each campaign of a valid result as a bundle with the sub-processes it uses: its content and the hash that names it. */
export function bundlesOf(result: ValidationResult): { readonly processId: string; readonly body: string; readonly hash: string }[] {
  return [...result.campaigns.values()].map((campaign) => {
    const body = canonicalJson(processBundle(campaign, result.subprocesses));
    return { processId: campaign.id, body, hash: createHash('sha256').update(body).digest('hex') };
  });
}

/** The version a bundle of this hash gets over the latest stored one: the latest when the content is the same. */
function nextVersion(latest: DefinitionRecord | undefined, hash: string): number {
  if (latest?.hash === hash) return latest.version;
  return (latest?.version ?? 0) + 1;
}

function compileBody(body: string, version: number): CompiledCampaign {
  const plan = compilePlan(JSON.parse(body) as ProcessBundle, version);
  return { plan, machine: compileMachine(plan) };
}

/** Unambiguous: the hash is hex and the version digits, so the last `#` and the last `@` before it split the key. */
function compiledKey(processId: string, version: number, hash: string): string {
  return `${processId}@${version}#${hash}`;
}

/** Validates definition objects as the DSL validates files (schema and semantics together). */
function validateDefinitions(definitions: readonly ProcessFile[]): ValidationResult {
  return validateParsedFiles(definitions.map((d, i) => parseProcessText(JSON.stringify(d), `${d?.id ?? `definition-${i}`}.json`)));
}
