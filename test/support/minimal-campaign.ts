/*
 * A minimal campaign process file and a minimal scenario, written from what a test is about: the
 * header every test campaign repeats (kind, id, title, source, year, subjects, roles) and the
 * scenario's (kind, id, seed, organisation, behaviour.default) come from here; the blocks that matter
 * to the test are passed in as YAML, so the test still reads as the directive it models.
 */

/** A role of the campaign: who may do what (`level` office, unit or member). */
export interface RoleSpec {
  readonly id: string;
  readonly title: string;
  readonly level: 'office' | 'unit' | 'member';
}

/** An office's role (督查室, 办公室…); its title is its id unless given. */
export const office = (id: string, title = id): RoleSpec => ({ id, title, level: 'office' });
/** A unit's role (单位, 县…); its title is its id unless given (often 各单位, 各县). */
export const unit = (id: string, title = id): RoleSpec => ({ id, title, level: 'unit' });
/** A member's role (党员, 干部…); its title is its id unless given. */
export const member = (id: string, title = id): RoleSpec => ({ id, title, level: 'member' });

/** One phase: its id (its title unless given), its window, and its body (tasks, inspections…) as YAML. */
export interface PhaseSpec {
  readonly id: string;
  readonly title?: string;
  /** Left out for a phase without one (a standing mechanism's, which ends by `exit: decision`). */
  readonly window?: string;
  /** The phase's keys after its window (`tasks:`, `recurring:`, `exit:`…), written at any indent. */
  readonly body?: string;
}

/** A campaign: what is not given is the usual test header (year 2024, subjects [unit], source 测试). */
export interface CampaignSpec {
  readonly id: string;
  readonly title?: string;
  readonly year?: number;
  readonly subjects?: readonly string[];
  readonly roles: readonly RoleSpec[];
  /** Top-level blocks written between the roles and the phases (actions, items, extensions, lights, cohorts…). */
  readonly blocks?: string;
  readonly phases: readonly PhaseSpec[];
  /** Top-level blocks written after the phases (consequences, rankings…). */
  readonly after?: string;
}

/** A test campaign's process file (`kind: campaign`) as YAML text. */
export function minimalCampaign(spec: CampaignSpec): string {
  const lines = [
    'kind: campaign',
    `id: ${spec.id}`,
    `title: ${spec.title ?? spec.id}`,
    'source: { title: 测试 }',
    `year: ${spec.year ?? 2024}`,
    `subjects: [${(spec.subjects ?? ['unit']).join(', ')}]`,
    'roles:',
    ...spec.roles.map((r) => `  - { id: ${r.id}, title: ${r.title}, level: ${r.level} }`),
    ...block(spec.blocks, 0),
    'phases:',
  ];
  for (const phase of spec.phases) {
    lines.push(`  - id: ${phase.id}`, `    title: ${phase.title ?? phase.id}`, ...(phase.window === undefined ? [] : [`    window: ${phase.window}`]), ...block(phase.body, 4));
  }
  lines.push(...block(spec.after, 0));
  return `${lines.join('\n')}\n`;
}

/** A scenario: its id, seed and organisation; the default behaviour's keys as YAML. */
export interface ScenarioSpec {
  readonly id: string;
  readonly seed: number;
  readonly units: number;
  readonly membersPerUnit?: number;
  /** Top-level keys written before the organisation (`maxRefusedShare: 1`, `process: …`). */
  readonly top?: string;
  /** More entries of the organisation's map after its units and members (`kinds: […]`, `cohorts: […]`). */
  readonly organisation?: string;
  /** `behaviour.default`'s keys (`tasks: …`, `extensions: …`), written at any indent. */
  readonly behaviour: string;
  /** `behaviour.kinds`' entries, one a kind of unit (`乙类: { … }`), written at any indent. */
  readonly kinds?: string;
  /** Top-level blocks written after the behaviour (`decisions:`…). */
  readonly after?: string;
}

/** A test scenario (`kind: scenario`) as YAML text. */
export function minimalScenario(spec: ScenarioSpec): string {
  return `${[
    'kind: scenario',
    `id: ${spec.id}`,
    `seed: ${spec.seed}`,
    ...block(spec.top, 0),
    `organisation: { units: ${spec.units}, membersPerUnit: ${spec.membersPerUnit ?? 0}${spec.organisation ? `, ${spec.organisation}` : ''} }`,
    'behaviour:',
    '  default:',
    ...block(spec.behaviour, 4),
    ...(spec.kinds === undefined ? [] : ['  kinds:', ...block(spec.kinds, 4)]),
    ...block(spec.after, 0),
  ].join('\n')}\n`;
}

/** YAML text re-indented to `indent` spaces: its common indent removed, blank lines at either end dropped. */
function block(text: string | undefined, indent: number): string[] {
  if (text === undefined) return [];
  const lines = text.split('\n');
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const common = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => (l.trim() === '' ? '' : ' '.repeat(indent) + l.slice(common)));
}
