import { fileURLToPath } from 'node:url';
import TJS from 'typescript-json-schema';

const modelEntry = fileURLToPath(new URL('../src/model/process.ts', import.meta.url));

/** Builds the process-file JSON Schema from the DSL types (deterministic output). */
export function generateProcessSchema() {
  const program = TJS.getProgramFromFiles([modelEntry], {
    strict: true,
    skipLibCheck: true,
    module: 'ESNext',
    moduleResolution: 'Bundler',
  });
  const schema = TJS.generateSchema(program, 'ProcessFile', {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    titles: false,
    defaultProps: false,
    aliasRef: false,
    ignoreErrors: false,
  });
  if (!schema) throw new Error('typescript-json-schema produced no schema');
  // The union becomes if/then/else on `kind`, so a mistake in a campaign is reported against the
  // campaign shape alone instead of against both branches of an anyOf.
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://luoshi.dev/schema/process.schema.json',
    title: 'Luoshi process file 落实过程文件',
    description: schema.description,
    type: 'object',
    required: ['kind'],
    properties: {
      kind: {
        description: '类别 — campaign (活动) or subprocess (子流程).',
        enum: ['campaign', 'subprocess'],
      },
    },
    if: { properties: { kind: { const: 'campaign' } } },
    then: { $ref: '#/definitions/CampaignDefinition' },
    else: { $ref: '#/definitions/SubProcessDefinition' },
    definitions: annotate(schema.definitions),
  };
}

/**
 * Editor help the YAML language server shows (VS Code and others): `markdownDescription` for hover
 * on every definition and key, and for the constructs authors write most — phase, task, recurring
 * duty, ladder, ranking — a Chinese and English explanation, `examples` (taken from seed 002, valid
 * as written; a test checks them) and `defaultSnippets` offered by completion.
 */
function annotate(definitions) {
  const out = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const help = CONSTRUCT_HELP[name];
    const properties = definition.properties
      ? Object.fromEntries(
          Object.entries(definition.properties).map(([key, value]) => [key, value.description ? { ...value, markdownDescription: value.description } : value]),
        )
      : undefined;
    out[name] = {
      ...definition,
      ...(properties ? { properties } : {}),
      ...(help
        ? { markdownDescription: `**${help.zh[0]}** — ${help.zh[1]}\n\n**${help.en[0]}** — ${help.en[1]}`, examples: help.examples, defaultSnippets: help.snippets }
        : definition.description
          ? { markdownDescription: definition.description }
          : {}),
    };
  }
  return out;
}

const CONSTRUCT_HELP = {
  Phase: {
    zh: ['阶段', '活动按顺序经过的阶段（动员部署 → 组织实施 → 巩固提高），`window` 写时段，`exit` 写何时结束。'],
    en: ['Phase', 'A stage the campaign passes through in order; `window` gives its months, `exit` when it ends.'],
    examples: [{ id: '动员部署', title: '动员部署阶段', window: '4月至5月', exit: 'window-end', tasks: [{ id: '动员大会', title: '召开动员大会进行部署', owner: '领导小组', due: '4月30日' }] }],
    snippets: [{ label: '阶段 phase', description: '一个阶段：时段与一项任务 A phase with a window and a task', body: { id: '$1', title: '$2', window: '${3:4月至5月}', tasks: [{ id: '$4', title: '$5', owner: '$6', due: '${7:4月30日}' }] } }],
  },
  Task: {
    zh: ['任务', '一次性任务：`owner` 是负责的角色，`due` 是截止日期（如“10月18日前”）。'],
    en: ['Task', 'A one-off task: `owner` is the responsible role, `due` its deadline (such as 10月18日前).'],
    examples: [{ id: '实施方案', title: '制定《实施方案》', owner: '领导小组', due: '4月30日' }],
    snippets: [{ label: '任务 task', description: '一次性任务 A one-off task', body: { id: '$1', title: '$2', owner: '$3', due: '${4:10月18日前}' } }],
  },
  RecurringDuty: {
    zh: ['常态任务', '按周期重复的任务（每月学习、每季度评比）：`every` 写周期，每次在下一周期前到期。'],
    en: ['Recurring duty', 'A duty repeated every period (monthly study, quarterly review): `every` gives the period; each occurrence is due one period later.'],
    examples: [{ id: '每月学习', title: '落实中心组每月学习制度', owner: '支部', every: '每月' }],
    snippets: [{ label: '常态任务 recurring duty', description: '按周期重复的任务 A recurring duty', body: { id: '$1', title: '$2', owner: '$3', every: '${4:每月}' } }],
  },
  EscalationLadder: {
    zh: ['问责阶梯', '同一对象在一个周期内第 N 次查实，触发第 N 级措施（一次诫勉谈话、两次通报批评……）。'],
    en: ['Escalation ladder', 'The Nth verified occurrence for the same subject in a period triggers the Nth rung (admonish, then criticise, …).'],
    examples: [
      {
        id: '举报投诉查实',
        title: '举报投诉一次查实诫勉谈话、两次查实通报批评、三次查实交流换岗',
        on: { event: 'complaint-verified' },
        subject: 'member',
        period: 'year',
        rungs: [{ level: 1, actions: ['诫勉谈话'] }, { level: 2, actions: ['通报批评'] }, { level: 3, actions: ['交流换岗'] }],
      },
    ],
    snippets: [
      {
        label: '问责阶梯 ladder',
        description: '逐级问责 An escalation ladder',
        body: { id: '$1', title: '$2', on: { event: '${3:complaint-verified}' }, subject: '${4:member}', period: '${5:year}', rungs: [{ level: 1, actions: ['$6'] }, { level: 2, actions: ['$7'] }] },
      },
    ],
  },
  Ranking: {
    zh: ['评比排名', '按权重汇总各项得分并在某日排名：前 N 名表彰（十佳），末位质询。'],
    en: ['Ranking', 'Scores weighted and ranked at a date: the top N commended, the bottom N questioned.'],
    examples: [
      {
        id: '十佳单位评选',
        title: '年底评选十佳单位',
        subject: 'unit',
        at: '年底',
        weights: { 单位自评: 0.5, 满意度得分: 0.5 },
        top: { count: 10, actions: ['表彰'] },
      },
    ],
    snippets: [
      {
        label: '评比排名 ranking',
        description: '年底评比 A year-end ranking',
        body: { id: '$1', title: '$2', subject: '${3:unit}', at: '${4:年底}', weights: { '${5:评价}': 1 }, top: { count: '^${6:10}' } },
      },
    ],
  },
};
