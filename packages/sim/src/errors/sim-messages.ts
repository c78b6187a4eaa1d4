/** The closed set of codes the simulator reports; every one has a message in both languages. */
export type SimCode =
  | 'SIM_YAML_SYNTAX'
  | 'SIM_YAML_DUPLICATE_KEY'
  | 'SIM_FILE_UNREADABLE'
  | 'SIM_NOT_A_MAPPING'
  | 'SIM_SCHEMA_MISSING'
  | 'SIM_SCHEMA_UNKNOWN_KEY'
  | 'SIM_SCHEMA_TYPE'
  | 'SIM_SCHEMA_ENUM'
  | 'SIM_SCHEMA_INVALID'
  | 'SIM_ORGANISATION_CHOICE'
  | 'SIM_ORGANISATION_INVALID'
  | 'SIM_DISTRIBUTION_FIELD'
  | 'SIM_DISTRIBUTION_RANGE'
  | 'SIM_PROBABILITIES_OVER_ONE'
  | 'SIM_LABELS_OVER_ONE'
  | 'SIM_UNKNOWN_KIND'
  | 'SIM_DUPLICATE_KIND'
  | 'SIM_PROCESS_NOT_FOUND'
  | 'SIM_PROCESS_MISMATCH'
  | 'SIM_DECISION_OVER_ONE'
  | 'SIM_UNKNOWN_DECISION'
  | 'SIM_UNKNOWN_OPTION'
  | 'SIM_STORE_ONE_RUN'
  | 'SIM_BAD_YEARS'
  | 'SIM_BEHAVIOUR_NEEDED'
  | 'SIM_UNKNOWN_COHORT'
  | 'SIM_UNKNOWN_INSPECTION'
  | 'SIM_TOO_MANY_REFUSED'
  | 'SIM_CAMPAIGN_NOT_FOUND'
  | 'SIM_UNTIL_PASSED'
  | 'SIM_BAD_UNTIL'
  | 'SIM_BAD_CLOSE_AT'
  | 'SIM_FILE_TOO_LARGE'
  | 'SIM_FILE_TOO_COMPLEX'
  | 'SIM_INVALID_ENCODING'
  | 'SIM_ORGANISATION_TOO_LARGE'
  | 'SIM_BAD_SCENARIO_ID'
  | 'SIM_BAD_RUNS'
  | 'SIM_BAD_SEED'
  | 'SIM_TOO_MANY_SCENARIOS'
  | 'SIM_TOO_FEW_SCENARIOS'
  | 'SIM_DUPLICATE_SCENARIO_ID'
  | 'SIM_BAD_THREADS'
  | 'SIM_LIVE_DAMAGED';

/** Message templates; `{name}` is filled from a diagnostic's params. */
export const simMessages = {
  SIM_YAML_SYNTAX: { en: 'YAML syntax error: {detail}', zh: 'YAML 语法错误：{detail}' },
  SIM_YAML_DUPLICATE_KEY: { en: 'the key "{key}" appears twice', zh: '键「{key}」出现了两次' },
  SIM_FILE_UNREADABLE: { en: 'cannot read the file: {detail}', zh: '无法读取文件：{detailZh}' },
  SIM_NOT_A_MAPPING: { en: 'a scenario file must be a mapping of keys, found {found}', zh: '情景文件应为键值块，实际是 {found}' },
  SIM_SCHEMA_MISSING: { en: 'the key "{property}" is required here', zh: '此处缺少必填项「{property}」' },
  SIM_SCHEMA_UNKNOWN_KEY: { en: 'unknown key "{property}"; allowed: {allowed}', zh: '未知的键「{property}」；可用的键：{allowed}' },
  SIM_SCHEMA_TYPE: { en: 'expected {expected} here', zh: '此处应为{expectedZh}' },
  SIM_SCHEMA_ENUM: { en: 'the value {value} is not one of: {allowed}', zh: '值 {value} 不在可选范围内：{allowed}' },
  SIM_SCHEMA_INVALID: { en: 'invalid value: {detail}', zh: '取值无效：{detail}' },
  SIM_ORGANISATION_CHOICE: {
    en: 'give exactly one of "organisation" and "organisationFile"',
    zh: '“organisation”与“organisationFile”须且只能给出一个',
  },
  SIM_ORGANISATION_INVALID: { en: 'the organisation file is not an organisation tree: {detail}', zh: '组织文件不是有效的组织树：{detail}' },
  SIM_DISTRIBUTION_FIELD: { en: 'a {kind} distribution needs "{field}"', zh: '{kind} 分布需要给出「{field}」' },
  SIM_DISTRIBUTION_RANGE: { en: 'min ({min}) must not be greater than max ({max})', zh: '最小值 min（{min}）不能大于最大值 max（{max}）' },
  SIM_PROBABILITIES_OVER_ONE: {
    en: 'onTime + late + failsReinspection is {sum}, more than 1',
    zh: 'onTime + late + failsReinspection 之和为 {sum}，超过了 1',
  },
  SIM_UNKNOWN_KIND: {
    en: 'no unit is of kind "{kind}"; kinds: {known}',
    zh: '没有类别为「{kind}」的单位；已有类别：{known}',
  },
  SIM_DUPLICATE_KIND: { en: 'the unit kind "{kind}" is listed twice', zh: '单位类别「{kind}」重复列出' },
  SIM_PROCESS_NOT_FOUND: { en: 'no valid campaign "{process}" among the definitions', zh: '定义中没有有效的活动「{process}」' },
  SIM_PROCESS_MISMATCH: {
    en: 'the scenario is written for "{expected}", not "{process}"',
    zh: '此情景是为「{expected}」编写的，不是「{process}」',
  },
  SIM_LABELS_OVER_ONE: {
    en: 'the probabilities of the labels add up to {sum}, more than 1',
    zh: '各种标签的概率之和为 {sum}，超过了 1',
  },
  SIM_DECISION_OVER_ONE: {
    en: 'the option probabilities of decision "{decision}" add up to {sum}, more than 1',
    zh: '决定「{decision}」各选项概率之和为 {sum}，超过了 1',
  },
  SIM_UNKNOWN_DECISION: {
    en: 'the campaign "{process}" has no decision "{decision}"; decisions: {known}',
    zh: '活动「{process}」没有决定「{decision}」；已有决定：{known}',
  },
  SIM_UNKNOWN_OPTION: {
    en: 'decision "{decision}" has no option "{option}"; options: {known}',
    zh: '决定「{decision}」没有选项「{option}」；可选：{known}',
  },
  SIM_BEHAVIOUR_NEEDED: {
    en: 'the campaign "{process}" has {whatEn} ({ids}), so behaviour.default needs "{field}"',
    zh: '活动「{process}」有{whatZh}（{ids}），behaviour.default 须给出「{field}」',
  },
  SIM_UNKNOWN_COHORT: {
    en: 'the campaign "{process}" has no cohort "{cohort}"; cohorts: {known}',
    zh: '活动「{process}」没有批次「{cohort}」；已有批次：{known}',
  },
  SIM_UNKNOWN_INSPECTION: {
    en: 'the campaign "{process}" has no inspection "{inspection}" (findingsPerMonth of {kind}); inspections: {known}',
    zh: '活动「{process}」没有检查「{inspection}」（{kind} 的 findingsPerMonth）；已有检查：{known}',
  },
  SIM_TOO_MANY_REFUSED: {
    en: 'the engine refused {refused} of the {attempted} host events the run sent ({share}), above the scenario\'s maxRefusedShare {max}: {codes}; the scenario asks for what the process does not allow',
    zh: '引擎拒收了本次运行发出的 {attempted} 个事件中的 {refused} 个（{share}），超过情景的拒收上限 maxRefusedShare {max}：{codes}；情景的假设与流程不符',
  },
  SIM_STORE_ONE_RUN: {
    en: 'a store can hold one run only, not {runs}',
    zh: '一个存储只能保存一次运行，不能保存 {runs} 次',
  },
  SIM_CAMPAIGN_NOT_FOUND: {
    en: 'the database has no campaign "{campaign}" to simulate from',
    zh: '数据库中没有可供续推的活动「{campaign}」',
  },
  SIM_UNTIL_PASSED: {
    en: 'cannot simulate until {until}: the campaign "{campaign}" already stands at {at} (times in {zone}); give a time after it',
    zh: '无法模拟至 {until}：活动「{campaign}」已到 {at}（{zone} 时间），请给出此后的时间',
  },
  SIM_BAD_CLOSE_AT: {
    en: 'the scenario closes the campaign on {closeAt}, which is not a day after the run begins ({from}) and before it ends ({end}, times in {zone})',
    zh: '情景的终止日期 {closeAt} 不在模拟期间内：应晚于开始（{from}）、早于结束（{end}，{zone} 时间）',
  },
  SIM_BAD_UNTIL: {
    en: 'cannot simulate until {until}: give an instant, a number of milliseconds since 1970',
    zh: '无法模拟至 {until}：请给出一个时刻（自 1970 年起的毫秒数）',
  },
  SIM_BAD_YEARS: {
    en: 'cannot simulate {years} years: give a whole number from 1 to {max}',
    zh: '无法模拟 {years} 年：请写 1 到 {max} 之间的整数',
  },
  SIM_FILE_TOO_LARGE: {
    en: 'the file has {size} bytes; a scenario or organisation file may have at most {limit}',
    zh: '文件有 {size} 字节，情景文件或组织文件最多 {limit} 字节',
  },
  SIM_FILE_TOO_COMPLEX: { en: 'the file is too complex to read: {detail}', zh: '文件过于复杂，无法读取：{detail}' },
  SIM_INVALID_ENCODING: { en: 'the file is not UTF-8 text ({detail})', zh: '文件不是 UTF-8 文本（{detail}）' },
  SIM_ORGANISATION_TOO_LARGE: {
    en: 'the organisation would hold {members} people in {units} units; a run may hold at most {maxMembers} people and {maxUnits} units',
    zh: '组织将有 {units} 个单位、{members} 人；一次模拟最多 {maxUnits} 个单位、{maxMembers} 人',
  },
  SIM_BAD_SCENARIO_ID: {
    en: 'a scenario id is 1 to {max} characters without control or invisible characters, found {shown}',
    zh: '情景编号应为 1 到 {max} 个字符，且不含控制字符或不可见字符，实际为 {shown}',
  },
  SIM_BAD_RUNS: {
    en: 'cannot make {runs} runs: give a whole number from 1 to {max}',
    zh: '无法运行 {runs} 次：请写 1 到 {max} 之间的整数',
  },
  SIM_BAD_SEED: {
    en: 'cannot use {seed} as a seed: give a whole number from 0 to {max}',
    zh: '无法以 {seed} 为随机种子：请写 0 到 {max} 之间的整数',
  },
  SIM_TOO_MANY_SCENARIOS: {
    en: 'cannot compare {count} scenarios: at most {max} side by side',
    zh: '无法对比 {count} 个情景：最多并列对比 {max} 个',
  },
  SIM_TOO_FEW_SCENARIOS: {
    en: 'a comparison needs at least two scenarios, a baseline and one to compare with it; {count} given',
    zh: '对比至少需要两个情景（一个基准情景和一个与之对比的情景），实际给出 {count} 个',
  },
  SIM_DUPLICATE_SCENARIO_ID: {
    en: 'two different scenarios have the id "{id}" ({first} and {second}): their columns and rows could not be told apart; give each its own id',
    zh: '两个不同的情景使用了同一编号「{id}」（{first} 与 {second}）：对比结果的列和行将无法区分，请为每个情景另取编号',
  },
  SIM_BAD_THREADS: {
    en: 'cannot run on {threads} worker threads: give a whole number from 1 (at most {max} are started)',
    zh: '无法以 {threads} 个工作线程运行：请写不小于 1 的整数（最多启动 {max} 个）',
  },
  SIM_LIVE_DAMAGED: {
    en: 'the campaign "{campaign}" cannot be read from the database: {what} is damaged ({detail}); nothing was written',
    zh: '无法从数据库读取活动「{campaign}」：{whatZh}已损坏（{detail}）；未写入任何内容',
  },
} as const satisfies Record<SimCode, { readonly en: string; readonly zh: string }>;
