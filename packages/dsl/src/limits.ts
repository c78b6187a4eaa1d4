/**
 * The limits the loader and validator enforce (限制). Process files come from outside — an upload
 * over HTTP, a folder a user points the CLI at — so every dimension of them is bounded, and each
 * bound is checked before the work it protects: the size before reading, the YAML token count
 * before composing, the expanded size of sub-process uses before expanding them. Past a limit the
 * answer is a coded diagnostic, never an exception or a stall. docs/reference.md lists them.
 */
export const DSL_LIMITS = Object.freeze({
  /** Bytes of one process file (UTF-8), checked before it is read or parsed. */
  fileBytes: 1024 * 1024,
  /** Process files validated together (a folder, or the files of one deploy). */
  files: 256,
  /** Bytes of all the files validated together. */
  totalBytes: 16 * 1024 * 1024,
  /**
   * YAML tokens of one file (keys, values, punctuation, line breaks, comments): the YAML library's
   * cost grows with them, so they are counted by its lexer (cheap) before the document is built.
   */
  yamlTokens: 100_000,
  /**
   * YAML tokens of all the files validated together: bounds the parsing cost of one deploy or one
   * folder (a typical file has one token per five bytes; the bundled processes have 7,600).
   */
  totalYamlTokens: 250_000,
  /** Nesting of mappings and lists in one file; each workstream level takes two. */
  nestingDepth: 64,
  /** Characters of an id (标识). */
  idLength: 100,
  /** Characters of a date, window, due date, length of time or recurrence. */
  calendarTextLength: 200,
  /** Characters of one condition (条件). */
  conditionLength: 1000,
  /** Nesting of one condition's tree: `a and b and c` is three deep, `a.b.c` three. */
  conditionDepth: 50,
  /** Sub-processes inside sub-processes: a campaign's use of one that uses another is depth 2. */
  subprocessDepth: 16,
  /** Sub-process uses of one campaign (or sub-process) once every use is expanded. */
  expandedUses: 1000,
  /** Work items (tasks, duties, evaluations, inspections…) of one campaign once every use is expanded. */
  expandedItems: 20_000,
  /** Slack past the campaign's end that a length of time counted from its start may reach (days). */
  durationMarginDays: 366,
  /**
   * 督办事项 — items of one kind one unit may hold (open or closed): a unit's items are stored in its
   * instance's state, written on every event, so their count is bounded; a kind's `limit` may lower it.
   */
  trackedItemsPerKind: 500,
  /** Characters of a tracked item's id and of its owner's name. */
  trackedItemText: 100,
  /**
   * 活动标识 — characters of a campaign id, counted as code points (an emoji is one, as JSON
   * Schema's `maxLength` counts), checked by the engine where a campaign is started (the library,
   * `POST /v1/campaigns`, `luoshi start --campaign`): it begins every instance id, timer and history
   * row and is shown in terminals, reports and file names.
   */
  campaignIdLength: 100,
  /** 申请延期 — approved extensions one task may have (a campaign's `maxTimes` may lower it). */
  extensionsPerTask: 20,
  /**
   * Characters of an extension request's reason (stored on the task while the request is pending),
   * and of the office's reason for closing a campaign (终止原因, kept in every closed instance).
   */
  extensionReason: 500,
  /** Diagnostics reported for one file; the rest are counted in one closing diagnostic. */
  diagnosticsPerFile: 200,
});

/**
 * 长效机制 — how far ahead a standing mechanism (`standing: true`, no end date) is laid out: its
 * occurrences, rankings and campaign years are computed for this many years from its start, and it
 * ends then unless closed earlier by a decision. It bounds what one deployed version computes; a
 * mechanism that outlives it is deployed again as a new version long before.
 */
export const STANDING_HORIZON_YEARS = 50;

/**
 * The longest length of time in each unit: ten years (3,660 days, 2,500 working days, 520 weeks,
 * 120 months, 10 years). Working days are added one by one by the engine, so they are bounded too.
 */
export const MAX_DURATION: ReadonlyMap<string, number> = new Map([
  ['day', 3660],
  ['working-day', 2500],
  ['week', 520],
  ['month', 120],
  ['year', 10],
]);

/**
 * Ids that name properties every JavaScript object has (Object.prototype) or that change an
 * object's prototype. A plain object keyed by such an id would read the inherited value instead
 * of the item (a task `__proto__` could never open), so they are refused as ids everywhere.
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  '__proto__',
  'prototype',
  'constructor',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);
