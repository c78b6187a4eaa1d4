/**
 * Every diagnostic the DSL layer can report, with its message in both languages. A code without
 * both languages does not compile (`satisfies`).
 */
export const dslMessages = {
  DSL_FILE_UNREADABLE: {
    en: 'Cannot read the file: {reason}',
    zh: '无法读取文件：{reason}',
  },
  DSL_NOT_A_FILE: {
    en: 'This is {what}, not an ordinary file: a process file is read only from a regular file (a pipe or a device may never end), so nothing was read',
    zh: '这是{whatZh}，不是普通文件：过程文件只从普通文件读取（管道或设备可能永不结束），未读取任何内容',
  },
  DSL_FILE_TYPE: {
    en: 'Not a process file: only .yaml, .yml and .json files are read',
    zh: '不是过程文件：只读取 .yaml、.yml、.json 文件',
  },
  DSL_YAML_SYNTAX: {
    en: 'The YAML is malformed here: {detail}',
    zh: 'YAML 格式有误：{detail}',
  },
  DSL_YAML_UNQUOTED_STAR: {
    en: 'A value starting with "*" is read by YAML as a reference to an anchor "&{name}", which this file does not set; add quotes around the whole value: \'{text}\'',
    zh: '以“*”开头的值会被 YAML 当作对锚点“&{name}”的引用，而文件中没有这个锚点；请给整个值加上引号：\'{text}\'',
  },
  DSL_YAML_DUPLICATE_KEY: {
    en: 'The key "{key}" appears twice in the same block',
    zh: '同一层中重复出现了键「{key}」',
  },
  DSL_NOT_A_MAPPING: {
    en: 'A process file must be a mapping of keys (kind, id, title…), not {found}',
    zh: '过程文件应由键值组成（kind、id、title 等），而不是{found}',
  },
  DSL_SCHEMA_MISSING: {
    en: '"{property}" is required here',
    zh: '此处缺少必填项「{property}」',
  },
  DSL_SCHEMA_UNKNOWN_KEY: {
    en: '"{property}" is not a known key here; allowed: {allowed}',
    zh: '「{property}」不是此处可用的键；可用：{allowed}',
  },
  DSL_SCHEMA_TYPE: {
    en: 'Expected {expected} here',
    zh: '此处应为{expectedZh}',
  },
  DSL_NOT_A_PROCESS_KIND: {
    en: 'kind: {kind} is not a process file; a process file has kind: campaign or kind: subprocess{hintEn}',
    zh: 'kind: {kind} 不是过程文件；过程文件应写 kind: campaign（活动）或 kind: subprocess（子流程）{hintZh}',
  },
  DSL_SCHEMA_ENUM: {
    en: '"{value}" is not allowed here; use one of: {allowed}',
    zh: '「{value}」不可用；可选：{allowed}',
  },
  DSL_SCHEMA_INVALID: {
    en: 'Invalid value: {detail}',
    zh: '取值无效：{detail}',
  },
  DSL_SCHEMA_COMMENT: {
    en: 'The file does not start with "# yaml-language-server: $schema=…", so editors cannot autocomplete it',
    zh: '文件开头缺少“# yaml-language-server: $schema=…”，编辑器无法自动补全和检查',
  },
  DSL_DUPLICATE_ID: {
    en: 'The id "{id}" is used twice (also at {other})',
    zh: '标识「{id}」重复使用（另一处在 {other}）',
  },
  DSL_DUPLICATE_PROCESS: {
    en: 'Two process files have the id "{id}" (also {other})',
    zh: '两个过程文件的标识都是「{id}」（另一个是 {other}）',
  },
  DSL_UNKNOWN_REFERENCE: {
    en: 'Unknown {kindEn} "{id}"{hint}',
    zh: '未定义的{kindZh}「{id}」{hint}',
  },
  DSL_USE_UNNAMED_TWICE: {
    en: 'Sub-process "{id}" is used again here without a name of its own (first used at {other}): each use runs and its work is named by the use, so give each one an id, e.g. "id: {id}2"',
    zh: '子流程「{id}」在此再次引用，但未另起名称（首次引用在 {other}）：每次引用各自运行，其工作以引用名称区分，请为每次引用写上 id，例如“id: {id}2”',
  },
  DSL_UNKNOWN_SUBPROCESS: {
    en: 'No sub-process file has the id "{id}"; known: {known}',
    zh: '找不到标识为「{id}」的子流程文件；已有：{known}',
  },
  DSL_CIRCULAR_SUBPROCESS: {
    en: 'Sub-processes use each other in a circle: {cycle}',
    zh: '子流程相互引用形成循环：{cycle}',
  },
  DSL_UNREACHABLE_PHASE: {
    en: 'Phase "{id}" can never be reached: no phase leads to it',
    zh: '阶段「{id}」无法到达：没有任何阶段通向它',
  },
  DSL_DECISION_MISSING: {
    en: 'Phase "{id}" exits by decision but declares no decisions',
    zh: '阶段「{id}」规定由决定离开，但没有定义任何决定',
  },
  DSL_BAD_DATE: {
    en: 'Cannot read "{text}" as a date; write e.g. "10-18", "10月18日", "7月中旬", "年底", "一季度末", "上半年", "start+30d", or with its year: "2024-06-30", "2024年6月底前", "2026年底", "次年1月底前", "第二年6月"',
    zh: '无法识别日期「{text}」；可写作“10-18”“10月18日”“7月中旬”“年底”“一季度末”“上半年”“开始后30天”，或写明年份：“2024-06-30”“2024年6月底前”“2026年底”“次年1月底前”“第二年6月”',
  },
  DSL_BAD_WINDOW: {
    en: 'Cannot read "{text}" as a window; write e.g. "4月至5月", "12月", "下半年", "04-01..05-31", or with years: "2008-01-01..2008-02-29", "2008年1月至2月", "2024年3月至2026年12月", "次年1月至3月"',
    zh: '无法识别时段「{text}」；可写作“4月至5月”“12月”“下半年”“04-01..05-31”，或写明年份：“2008-01-01..2008-02-29”“2008年1月至2月”“2024年3月至2026年12月”“次年1月至3月”',
  },
  DSL_WINDOW_REVERSED: {
    en: 'The window "{text}" ends ({end}) before it starts ({start})',
    zh: '时段「{text}」的结束日期（{end}）早于开始日期（{start}）',
  },
  DSL_WINDOW_ORDER: {
    en: 'Phase "{id}" starts ({start}) before the previous phase "{previous}" ends ({previousEnd})',
    zh: '阶段「{id}」的开始日期（{start}）早于上一阶段「{previous}」的结束日期（{previousEnd}）',
  },
  DSL_BAD_DURATION: {
    en: 'Cannot read "{text}" as a length of time; write e.g. "15天", "5个工作日", "1个月", "15 days"',
    zh: '无法识别期限「{text}」；可写作“15天”“5个工作日”“1个月”“15 days”',
  },
  DSL_BAD_DUE: {
    en: 'Cannot read "{text}" as a due date; write e.g. "10月18日前" or "动员部署后5个工作日内"',
    zh: '无法识别截止时间「{text}」；可写作“10月18日前”或“动员部署后5个工作日内”',
  },
  DSL_BAD_RECURRENCE: {
    en: 'Cannot read "{text}" as a recurrence: {detail}. Write 每周, 每月, 每季度, 每半年 or 每年 (weekly, monthly, quarterly, half-yearly, yearly, from the phase start); by the calendar 每月底, 每季度末, 每半年末, 每年底, 每月5日前 (the month before, due on the 5th), 每年12月, 每年1月中旬和7月中旬; or an RRULE such as FREQ=MONTHLY;INTERVAL=2',
    zh: '无法识别周期「{text}」：{detailZh}。可写作每周、每月、每季度、每半年、每年（自阶段开始起算）；按自然月、季、年：每月底、每季度末、每半年末、每年底、每月5日前（报送上月情况）、每年12月、每年1月中旬和7月中旬；或 RRULE 规则，如 FREQ=MONTHLY;INTERVAL=2（每两个月）',
  },
  DSL_DEADLINE_OUTSIDE_WINDOW: {
    en: 'Due {due}, before the window of phase "{phase}" opens ({start} to {end}): work of a phase may be due after its window, never before it',
    zh: '截止日期 {due} 早于阶段「{phase}」的时段（{start} 至 {end}）：阶段的工作可以在时段结束后到期，但不能在时段开始前到期',
  },
  DSL_RELATIVE_DUE_OUTSIDE_WINDOW: {
    en: 'Counted from "{anchor}" done on its deadline ({anchorDue}), this is due {due} at the earliest, after phase "{phase}" ends ({start} to {end}): shorten the time, move the anchor\'s deadline earlier, or widen the window',
    zh: '若「{anchor}」在其截止日期（{anchorDue}）完成，本项最早 {due} 才到期，已超出阶段「{phase}」的时段（{start} 至 {end}）：请缩短时限、提前「{anchor}」的截止日期或放宽时段',
  },
  DSL_CYCLE_FIXED_DATE: {
    en: '"{text}" names a year, so it cannot repeat in every cycle ({cycle}): write it without the year ("6月底前", "11月至12月", "次年1月底"), for the first cycle; each later cycle shifts it',
    zh: '“{text}”写明了年份，无法在每个周期（{cycle}）重复：请去掉年份，按第一个周期书写（如“6月底前”“11月至12月”“次年1月底”），以后各周期依次顺延',
  },
  DSL_CYCLE_WINDOW_TOO_LONG: {
    en: 'The window "{text}" does not fit inside the first cycle ({cycle}: {start} to {end}): in a cycled campaign every phase lies inside one cycle, written for the first',
    zh: '时段“{text}”超出了第一个周期（{cycle}：{start} 至 {end}）：按周期重复的活动，每个阶段都须在一个周期之内，按第一个周期书写',
  },
  DSL_CYCLE_NO_END: {
    en: 'cycle: {cycle} repeats the phases up to the campaign end, but the campaign has none: give "end:" (e.g. 2026-12-31) or "standing: true"',
    zh: '“cycle: {cycle}”将各阶段重复到活动结束，但活动没有结束日期：请写“end:”（如 2026-12-31）或“standing: true”',
  },
  DSL_CYCLE_CUT_BY_END: {
    en: 'The campaign ends on {end}, inside its last cycle ({cycle}), whose phases run to {runsTo} ("{phase}"): a cycle runs whole, so end the campaign where a cycle ends: "end: {runsTo}" keeps the last cycle, "end: {previous}" leaves it out',
    zh: '活动结束日期 {end} 落在最后一个周期（{cycle}）之内，该周期的阶段（「{phase}」）要到 {runsTo} 才结束：周期总是完整运行，请把结束日期写在周期结束处——“end: {runsTo}”保留最后一个周期，“end: {previous}”不要这个周期',
  },
  DSL_STANDING_WITH_END: {
    en: 'A standing mechanism (standing: true) has no end date, but "end: {end}" gives one: remove one of the two',
    zh: '长效机制（standing: true）没有结束日期，但又写了“end: {end}”：请删去其中之一',
  },
  DSL_DEADLINE_BEFORE_START: {
    en: 'Due {due}, before the campaign starts ({campaignStart})',
    zh: '截止日期 {due} 早于活动开始（{campaignStart}）',
  },
  DSL_DUTY_OUTSIDE_WINDOW: {
    en: 'The recurring duty {sideEn} on {date}, outside {whereEn} ({start} to {end})',
    zh: '定期工作{sideZh}于 {date}，不在{whereZh}内（{start} 至 {end}）',
  },
  DSL_CASCADE_OFFICE_TASK: {
    en: 'The task {id} belongs to the office ({owner}), which has no level above it: cascadeWithin applies only to the units’ tasks',
    zh: '任务 {id} 由办公室（{owner}）负责，办公室没有上级：cascadeWithin（层层分解）只适用于各单位的任务',
  },
  DSL_UNKNOWN_COHORT: {
    en: 'The campaign has no cohort {id}; its cohorts: {known}',
    zh: '活动没有批次 {id}；已有批次：{known}',
  },
  DSL_COHORT_AFTER_END: {
    en: 'The cohort {id} starts on {date}, after the campaign ends ({end}): its units would never start',
    zh: '批次 {id} 的启动日期 {date} 晚于活动结束日期（{end}），该批单位永远不会启动',
  },
  DSL_DEADLINE_AFTER_END: {
    en: 'Due {due} is after the campaign ends ({end})',
    zh: '截止日期 {due} 晚于活动结束日期（{end}）',
  },
  DSL_OUTSIDE_CAMPAIGN: {
    en: 'The window {start} to {end} is not inside the campaign ({campaignStart} to {campaignEnd})',
    zh: '时段 {start} 至 {end} 不在活动期间内（{campaignStart} 至 {campaignEnd}）',
  },
  DSL_ITEM_EVENT_MEMBER: {
    en: 'The {what} "{id}" listens to {event}, an item\'s light, which is its unit\'s, never a member\'s: as written it would never apply; write subject: unit',
    zh: '{whatZh}「{id}」监听的 {event} 是督办事项的亮牌，属于单位而不属于成员：照此写法永远不会生效；请写 subject: unit',
  },
  DSL_ITEM_ESCALATE_NO_LEVELS: {
    en: 'Item kind "{id}" escalates (after {n}) but declares no levels to escalate to',
    zh: '督办事项「{id}」写了升级条件（{n}次），但未写挂牌督办层级（levels）',
  },
  DSL_ITEM_EVERY_NOT_MONTHLY: {
    en: 'Item kind "{id}" is carded every "{every}": cards given whether or not the unit reported come once a month, at the turn of each month of the campaign year; write every: 每月 (monthly)',
    zh: '督办事项「{id}」写了按“{every}”亮牌：不论是否报送都亮牌的，只能每月一次、在活动年度每月之交亮牌；请写 every: 每月',
  },
  DSL_ITEM_EVERY_NO_TARGET: {
    en: 'Item kind "{id}" is carded every month but its items are opened by the findings of "{from}", which carry no target: they would never be carded; drop every, or open the items with a target',
    zh: '督办事项「{id}」写了按月亮牌，但这类事项由检查「{from}」的发现交办，没有目标值，永远不会亮牌；请删去 every，或改为带目标值交办',
  },
  DSL_LADDER_RUNGS: {
    en: 'Ladder "{id}" must number its rungs 1, 2, 3… in order; found {found}',
    zh: '阶梯「{id}」的梯级应依次为 1、2、3……；实际为 {found}',
  },
  DSL_RANKING_IMPLAUSIBLE: {
    en: 'Ranking "{id}" names {count} {band} places, more than the {available} {subjectEn} expected',
    zh: '评比「{id}」的{bandZh}名额 {count} 超过预计的{subjectZh}数 {available}',
  },
  DSL_RANKING_NO_SCALE: {
    en: 'Ranking "{id}" names {count} places but the campaign gives no scale (scale.units / scale.members) to check it against',
    zh: '评比「{id}」设定了 {count} 个名额，但活动没有填写规模（scale.units / scale.members），无法核对',
  },
  DSL_WEIGHTS: {
    en: '{kindEn} "{id}" needs positive weights; {detail}',
    zh: '{kindZh}「{id}」的权重应为正数；{detail}',
  },
  DSL_GRADE_BANDS_OVERLAP: {
    en: 'Grading "{id}": the bands {first} and {second} overlap ({detail}); a score may be in one band only',
    zh: '等次评定「{id}」的等次「{first}」与「{second}」分数段重叠（{detail}）；一个分数只能落在一个等次',
  },
  DSL_GRADE_BANDS_GAP: {
    en: 'Grading "{id}": {detail}, so such a score would have no grade; close the gap',
    zh: '等次评定「{id}」：{detailZh}，这样的分数没有等次；请补上这一段',
  },
  DSL_GRADE_BAND_EMPTY: {
    en: 'Grading "{id}": band {grade} runs from {min} to below {below}, which holds no score',
    zh: '等次评定「{id}」的等次「{grade}」从 {min} 分到不足 {below} 分，不含任何分数',
  },
  DSL_GRADE_UNKNOWN: {
    en: 'Grading "{id}" has no grade "{grade}"; its grades: {known}',
    zh: '等次评定「{id}」没有等次「{grade}」；已有等次：{known}',
  },
  DSL_SCORE_SCALE: {
    en: 'The score range must have min below max; found {min} to {max}',
    zh: '分值范围的最小值应小于最大值；实际为 {min} 至 {max}',
  },
  DSL_UNKNOWN_TIMEZONE: {
    en: '"{zone}" is not a known time zone; use an IANA name such as Asia/Shanghai',
    zh: '「{zone}」不是有效的时区；请使用 IANA 名称，例如 Asia/Shanghai',
  },
  DSL_EXPRESSION_SYNTAX: {
    en: 'The condition "{text}" cannot be read: {detail}',
    zh: '条件「{text}」无法识别：{detail}',
  },
  DSL_EXPRESSION_UNKNOWN_NAME: {
    en: 'The condition refers to "{name}", which does not exist in {spotEn}; names available here: {known}',
    zh: '条件中的「{name}」在{spotZh}中不存在；此处可用的名字：{known}',
  },
  DSL_EXPRESSION_UNKNOWN_VALUE: {
    en: 'The condition compares {field} with "{value}", which is not a {kindEn} of this campaign; known: {known}',
    zh: '条件把 {field} 与「{value}」比较，但本活动没有这个{kindZh}；已有：{known}',
  },
  DSL_EVENT_FIELDS_NOT_SENT: {
    en: 'The event {event} is raised by the engine, never sent by the host, so it carries no extra fields; read what it has ({known})',
    zh: '事件 {event} 由引擎产生，宿主系统不会随它报送字段，不能声明 fields；此事件可用：{known}',
  },
  DSL_EXPRESSION_FORBIDDEN: {
    en: 'The condition "{text}" uses {construct}, which conditions may not contain',
    zh: '条件「{text}」使用了不允许的写法：{construct}',
  },
  DSL_CALENDAR_NOT_COVERED: {
    en: 'Working days are counted in {year}, which the built-in Chinese holiday calendar does not cover; list the year\'s holidays under "holidays" or have the host supply them',
    zh: '活动在 {year} 年按工作日计算，内置节假日数据未覆盖该年；请在 holidays 中列出当年节假日，或由宿主系统提供',
  },
  DSL_FILE_TOO_LARGE: {
    en: 'The file has {size} bytes; a process file may have at most {limit} bytes',
    zh: '文件大小为 {size} 字节，过程文件最多 {limit} 字节',
  },
  DSL_TOO_MANY_FILES: {
    en: 'More than {limit} process files were given; at most {limit} are validated together, and none was',
    zh: '提供的过程文件超过 {limit} 个；一次最多校验 {limit} 个，本次均未校验',
  },
  DSL_TOTAL_TOO_LARGE: {
    en: 'The process files together have more than {limit} bytes; this file and the ones after it were not read',
    zh: '过程文件合计超过 {limit} 字节；本文件及其后的文件未读取',
  },
  DSL_FILE_TOO_COMPLEX: {
    en: 'The file has more than {limit} YAML tokens (keys, values, punctuation, line breaks); split it into smaller files or remove empty lines',
    zh: '文件的 YAML 记号（键、值、标点、换行）超过 {limit} 个；请拆分文件或删除空行',
  },
  DSL_TOTAL_TOO_COMPLEX: {
    en: 'The process files together have more than {limit} YAML tokens; this file was not read',
    zh: '过程文件合计的 YAML 记号超过 {limit} 个；本文件未读取',
  },
  DSL_NESTING_TOO_DEEP: {
    en: 'Blocks are nested more than {limit} levels deep here',
    zh: '此处的层级嵌套超过 {limit} 层',
  },
  DSL_INVALID_ENCODING: {
    en: 'The text is not valid UTF-8 here ({detail}); save the file as UTF-8',
    zh: '此处的文字不是有效的 UTF-8 编码（{detail}）；请将文件另存为 UTF-8',
  },
  DSL_NUL_CHARACTER: {
    en: 'The text contains a NUL character (U+0000), which cannot be stored; remove it',
    zh: '文字中含有空字符（U+0000），无法保存；请删除',
  },
  DSL_RESERVED_ID: {
    en: 'The id "{id}" is a reserved word and cannot be used as an id; choose another name',
    zh: '「{id}」是保留字，不能用作标识；请换一个名称',
  },
  DSL_ID_CONTROL_CHARACTER: {
    en: 'The id {shown} contains an invisible control character ({codePoint}); remove it',
    zh: '标识 {shown} 含有不可见的控制字符（{codePoint}）；请删除',
  },
  DSL_ID_TOO_LONG: {
    en: 'The id has {length} characters; an id may have at most {limit}',
    zh: '标识有 {length} 个字符，最多 {limit} 个',
  },
  DSL_TEXT_TOO_LONG: {
    en: 'This {kindEn} has {length} characters; at most {limit} are allowed',
    zh: '此{kindZh}有 {length} 个字符，最多 {limit} 个',
  },
  DSL_CONDITION_TOO_LONG: {
    en: 'The condition has {length} characters; a condition may have at most {limit}',
    zh: '条件有 {length} 个字符，最多 {limit} 个',
  },
  DSL_CONDITION_TOO_DEEP: {
    en: 'The condition is nested more than {limit} levels deep (too many terms or names in a chain); split it',
    zh: '条件嵌套超过 {limit} 层（连接的条件或名称过多）；请拆分',
  },
  DSL_DURATION_TOO_LONG: {
    en: '"{text}" is too long a time: at most {limit} {unitEn} (ten years) are allowed',
    zh: '「{text}」期限过长：最多 {limit} {unitZh}（十年）',
  },
  DSL_DURATION_BEYOND_CAMPAIGN: {
    en: '"{text}" counted from the campaign start ({start}) ends on {until}, more than {margin} days after the campaign ends ({end})',
    zh: '「{text}」自活动开始（{start}）起算至 {until}，超过活动结束日期（{end}）{margin} 天以上',
  },
  DSL_SUBPROCESS_TOO_DEEP: {
    en: 'Sub-processes are nested {depth} levels deep through "{id}"; at most {limit} levels are allowed',
    zh: '经「{id}」的子流程嵌套达 {depth} 层，最多 {limit} 层',
  },
  DSL_SUBPROCESS_EXPANSION: {
    en: 'Expanded, this process has {uses} sub-process uses and {items} work items (the most through "{id}" here); at most {maxUses} uses and {maxItems} items are allowed',
    zh: '展开后本流程含 {uses} 次子流程引用、{items} 项工作（主要来自此处的「{id}」）；最多 {maxUses} 次引用、{maxItems} 项工作',
  },
  DSL_TOO_MANY_PROBLEMS: {
    en: '{count} more problems in this file are not shown; fix the ones above first',
    zh: '本文件另有 {count} 个问题未列出；请先修改以上问题',
  },
} as const satisfies Record<string, { en: string; zh: string }>;

/** A stable code for each thing the DSL layer reports. */
export type DslCode = keyof typeof dslMessages;
