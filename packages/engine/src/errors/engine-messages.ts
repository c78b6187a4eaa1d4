/** Every error the engine and its stores raise, with messages in both languages. */
export const engineMessages = {
  ENGINE_INVALID_DEFINITION: {
    en: 'The process definitions are not valid: {detail}',
    zh: '过程定义无效：{detail}',
  },
  ENGINE_PROCESS_NOT_FOUND: {
    en: 'No process "{id}" is deployed',
    zh: '尚未部署过程「{id}」',
  },
  ENGINE_CAMPAIGN_NOT_FOUND: {
    en: 'No campaign "{id}"',
    zh: '找不到活动「{id}」',
  },
  ENGINE_INSTANCE_NOT_FOUND: {
    en: 'No instance "{id}"',
    zh: '找不到实例「{id}」',
  },
  ENGINE_INVALID_ORGANISATION: {
    en: 'The organisation is not valid: {detail}',
    zh: '组织结构无效：{detail}',
  },
  ENGINE_UNKNOWN_EVENT: {
    en: 'Unknown event type "{type}"; known: {known}',
    zh: '未知的事件类型「{type}」；可用：{known}',
  },
  ENGINE_INVALID_PAYLOAD: {
    en: 'The event "{type}" does not fit: {detail}',
    zh: '事件「{type}」的内容不符合要求：{detailZh}',
  },
  ENGINE_STEP_FAILED: {
    en: 'The statechart of instance {id} failed on "{type}": {detail}',
    zh: '实例 {id} 的状态机处理「{type}」时出错：{detail}',
  },
  ENGINE_UNKNOWN_TASK: {
    en: 'Unknown task "{id}" for unit {unit}',
    zh: '单位 {unit} 没有任务「{id}」',
  },
  ENGINE_UNKNOWN_TRACKED_ITEM: {
    en: 'Unit {unit} has no item "{id}"',
    zh: '单位 {unit} 没有督办事项「{id}」',
  },
  ENGINE_ITEM_EXISTS: {
    en: 'Unit {unit} already has an item "{id}"',
    zh: '单位 {unit} 已有督办事项「{id}」',
  },
  ENGINE_ITEM_LIMIT: {
    en: 'Unit {unit} already holds {limit} items of kind "{kind}", the most it may',
    zh: '单位 {unit} 的「{kind}」类督办事项已达上限 {limit} 项',
  },
  ENGINE_ITEM_STATE: {
    en: 'Item "{id}" of unit {unit} is {state}; "{type}" does not apply now',
    zh: '单位 {unit} 的督办事项「{id}」处于「{stateZh}」，现在不能办理「{type}」',
  },
  ENGINE_NO_EXTENSIONS: {
    en: 'This campaign allows no extension requests (its process file has no "extensions")',
    zh: '本次活动未规定申请延期（流程文件没有“extensions”），不能申请或审批延期',
  },
  ENGINE_EXTENSION_OVERDUE: {
    en: 'Task "{id}" of unit {unit} is already overdue: an extension is asked before the due day',
    zh: '单位 {unit} 的任务「{id}」已逾期，延期须在期限届满前申请',
  },
  ENGINE_EXTENSION_NOT_LATER: {
    en: 'Task "{id}" of unit {unit} is due {due}: the day asked for ({until}) must be after it',
    zh: '单位 {unit} 的任务「{id}」期限为 {due}，申请的新期限（{until}）须晚于原期限',
  },
  ENGINE_EXTENSION_TOO_LONG: {
    en: 'Task "{id}" of unit {unit}: {until} is more than {maxDelay} after its due day {due}',
    zh: '单位 {unit} 的任务「{id}」：申请的新期限 {until} 超过原期限 {due} 后 {maxDelay}',
  },
  ENGINE_EXTENSION_PENDING: {
    en: 'Task "{id}" of unit {unit} already has an extension request waiting for a decision',
    zh: '单位 {unit} 的任务「{id}」已有待审批的延期申请',
  },
  ENGINE_NO_EXTENSION_PENDING: {
    en: 'Task "{id}" of unit {unit} has no extension request waiting for a decision',
    zh: '单位 {unit} 的任务「{id}」没有待审批的延期申请',
  },
  ENGINE_EXTENSION_LIMIT: {
    en: 'Task "{id}" of unit {unit} has been extended {times} times, the most allowed',
    zh: '单位 {unit} 的任务「{id}」已延期 {times} 次，达到上限',
  },
  ENGINE_UNKNOWN_MEMBER: {
    en: 'Unit {unit} has no member "{id}"',
    zh: '单位 {unit} 没有成员「{id}」',
  },
  ENGINE_UNKNOWN_ITEM: {
    en: 'Unknown {kind} "{id}"',
    zh: '未定义的{kindZh}「{id}」',
  },
  ENGINE_UNKNOWN_CYCLE: {
    en: 'Unit {unit}: the campaign has no cycle "{cycle}" (its cycles: {known})',
    zh: '单位 {unit}：活动没有周期「{cycle}」（活动的周期：{known}）',
  },
  ENGINE_UNKNOWN_PERIOD: {
    en: 'Task "{id}" of unit {unit} has no occurrence for the period {period} (its periods start on {starts})',
    zh: '单位 {unit} 的任务「{id}」没有报告期 {period}（各期起始日：{starts}）',
  },
  ENGINE_TASK_NOT_OPEN: {
    en: 'Task "{id}" of unit {unit} is not open (it is {status})',
    zh: '单位 {unit} 的任务「{id}」当前不可办理（状态：{statusZh}）',
  },
  ENGINE_INSPECTION_STATE: {
    en: 'Inspection "{id}" of unit {unit} is {state}; "{type}" does not apply now',
    zh: '单位 {unit} 的检查「{id}」处于「{stateZh}」，现在不能办理「{type}」',
  },
  ENGINE_INSPECTION_NOT_ACTIVE: {
    en: 'Inspection "{id}" runs only during the phase {phases}; unit {unit} is in {current}, so the finding is not recorded',
    zh: '检查「{id}」只在「{phases}」阶段开展；单位 {unit} 当前处于「{current}」，不能记录发现的问题',
  },
  ENGINE_PHASE_NOT_OPEN: {
    en: 'Unit {unit} is in phase "{phase}", whose window opens on {opens}; "{type}" waits until then',
    zh: '单位 {unit} 所处的阶段「{phase}」于 {opens} 开始，「{type}」须待该阶段开始后办理',
  },
  ENGINE_FORBIDDEN: {
    en: '{actor} does not hold the role "{role}" that "{id}" names',
    zh: '{actor} 不具有「{id}」规定的角色「{role}」',
  },
  ENGINE_SCORE_OUT_OF_RANGE: {
    en: 'Score {score} for "{evaluation}" is outside {min} to {max}',
    zh: '「{evaluation}」的分数 {score} 超出范围 {min} 至 {max}',
  },
  ENGINE_CAMPAIGN_ENDED: {
    en: 'The campaign has ended for instance {id}; no more events are accepted',
    zh: '实例 {id} 的活动已经结束，不再接受事件',
  },
  ENGINE_CAMPAIGN_CLOSED: {
    en: 'The office closed the campaign for instance {id} at {at} ({reason}); no more events are accepted (times in {zone})',
    zh: '实例 {id} 的活动已于 {at} 终止（{reason}），不再接受事件（{zone} 时间）',
  },
  ENGINE_REPLAY_MISMATCH: {
    en: 'Replaying the history of {id} does not give the stored state',
    zh: '按历史重放实例 {id} 的结果与存储的状态不一致',
  },
  STORE_REVISION_CONFLICT: {
    en: 'Instance {id} was changed by another writer (expected revision {expected})',
    zh: '实例 {id} 已被其他写入者修改（预期版本 {expected}）',
  },
  STORE_DUPLICATE: {
    en: 'A {kind} with id {id} already exists',
    zh: '标识为 {id} 的{kind}已存在',
  },
  ENGINE_INVALID_CAMPAIGN_ID: {
    en: 'The campaign id {shown} cannot be used: a campaign id is 1 to {max} characters, not "." or "..", without "/" and without control or invisible characters. Nothing was started',
    zh: '活动标识 {shown} 不可用：活动标识应为 1 至 {max} 个字符，不能是“.”或“..”，不含“/”、控制字符或不可见字符。未启动活动',
  },
  ENGINE_IDEMPOTENCY_KEY_REUSED: {
    en: 'The idempotency key "{key}" was already used on {id} for a different request',
    zh: '幂等键「{key}」已在 {id} 上用于另一个不同的请求',
  },
  ENGINE_TIME_BACKWARDS: {
    en: 'Instance {id} is already at {last}; an event at {at} would move its time backwards (times in {zone})',
    zh: '实例 {id} 的时间已到 {last}，{at} 的事件会使时间倒流，不予受理（{zone} 时间）',
  },
  ENGINE_INVALID_TIME: {
    en: 'The clock gives {at}, which is not a valid time; nothing was recorded',
    zh: '时钟给出的时间 {at} 无效，未作任何记录',
  },
  STORE_UNAVAILABLE: {
    en: 'The database is unavailable: {detail}',
    zh: '数据库暂时不可用：{detail}',
  },
  STORE_INVALID_TEXT: {
    en: 'The text "{field}" cannot be stored: {detail}',
    zh: '「{field}」中的文字无法保存：{detailZh}',
  },
  STORE_CORRUPT: {
    en: 'The database {database} is damaged: {detail}',
    zh: '数据库 {database} 已损坏：{detail}',
  },
  STORE_READ_ONLY: {
    en: 'The database {database} is read-only; this command needs to write to it',
    zh: '数据库 {database} 是只读的，此命令需要写入',
  },
  STORE_UNSUPPORTED_FORMAT: {
    en: 'The stored data of {id} has format version {version}, which this release does not know',
    zh: '{id} 的存储数据格式版本为 {version}，本版本无法识别',
  },
} as const satisfies Record<string, { en: string; zh: string }>;

/** Stable codes of engine and store errors. */
export type EngineCode = keyof typeof engineMessages;
