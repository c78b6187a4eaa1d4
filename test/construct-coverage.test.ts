import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSchema, schemaPropertyPaths, testTitles } from './support/construct-coverage.js';

/*
 * The proof that nothing validates without running (issue 18): every property of the process schema
 * and of the scenario schema, read from the generated JSON Schemas, is mapped to at least one engine
 * or simulator test that shows its effect, a test that would fail if the engine (or the simulator)
 * ignored the key. A purely descriptive key (title, titleEn, quote, note, source, $schema) may instead
 * say where it is shown. A new key in a model type fails this test until its test is named here.
 *
 * Paths are qualified by the definition that declares the key (`Inspection.every`, `Trigger.fields`),
 * the top-level keys by the file (`ProcessFile.kind`, `Scenario.seed`): a Task is one construct
 * wherever it stands, and where it may stand is itself a key (`Phase.tasks`, `Workstream.tasks`).
 * A test is named by its file and its full title (describe titles and the test's, joined by " > ").
 */

const root = fileURLToPath(new URL('..', import.meta.url));

/** The folders whose tests may be named: the engine's, the simulator's and the whole-system ones. */
const TEST_FOLDERS = ['packages/engine/test', 'packages/sim/test', 'test', 'test/directives'] as const;

type TestRef = readonly [file: string, title: string];

/** The keys that may be descriptive, and the only reasons they may give. */
const DESCRIPTIVE_REASONS: ReadonlyMap<string, string> = new Map([
  ['title', 'shown in task lists, views, reports and diagrams'],
  ['titleEn', 'shown in English views and reports'],
  ['quote', 'shown beside the construct in diagrams and docs; the directive’s own words'],
  ['note', 'for the reader of the file; never read by the engine'],
  ['source', 'shown in reports as the directive the file models'],
  ['$schema', 'read by editors, not by Luoshi'],
]);
/** Definitions reached only through a descriptive key: their keys are descriptive too. */
const DESCRIPTIVE_DEFINITIONS: ReadonlyMap<string, string> = new Map([['SourceDocument', 'source']]);

const E = 'packages/engine/test';
const S = 'packages/sim/test';
const t = (file: string, title: string): TestRef => [file, title];

// Tests named below, one constant each, grouped by the construct they show.
const ENGINE = 'given a campaign over an office and three units';
const START = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when it starts, then each unit holds its own tasks and the office only office work`);
const FROM_TASK = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when a task is completed, then a task counted from it gets its due date in working days`);
const REMIND = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when a deadline passes, then the reminder comes two working days before and the overdue action after`);
const COMPLAINTS = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when verified complaints against one member accumulate, then each climbs one rung and the third sets the flag`);
const SCORE_RANGE = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > bad input changes nothing > when a score is out of range, then ENGINE_SCORE_OUT_OF_RANGE names the range in both languages`);
const FORBIDDEN = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > bad input changes nothing > when the host says the actor lacks the role a task names, then ENGINE_FORBIDDEN and nothing changes; with it, the task is done`);
const YEAR = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when the year runs on > then an all-required-done phase waits for its work, inspections loop and escalate, and the ranking places the best`);
const FIRE_EACH = t('test/missed-occurrences-restart.test.ts', 'given a monthly report and an engine stopped from 15 February to 20 May (错过处理, after a restart) > when missed: fire-each, then March’s and April’s reports open with their own deadlines and are overdue, and May’s is open');
const SKIP = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when the year runs on > then a monthly duty with missed: skip creates no occurrence for a month the engine slept through`);
const ENDED = t(`${E}/engine-runtime.test.ts`, `${ENGINE} > when the year runs on > then after the campaign ends a host event is refused with ENGINE_CAMPAIGN_ENDED`);
const OVERDUE_COUNT = t(`${E}/engine-runtime.test.ts`, 'given a consequence that counts overdue tasks > when tasks fall overdue one by one, then the unit is flagged at the count the condition names and each member on their own');
const GRADES = 'grades by score (等次评定)';
const GRADE_YEAR_END = t(`${E}/grades.test.ts`, `${GRADES} > when three units are scored and one has a major accident, then at year end each gets the band of 0.3 × 自评 + 0.7 × 考核, the vetoed one 不合格, and the ranking skips it`);
const GRADE_MISSING = t(`${E}/grades.test.ts`, `${GRADES} > when a unit has no score at the date, then a missing evaluation counts 0 and it is graded 不合格`);
const GRADE_SCORED = t(`${E}/grades.test.ts`, 're-assessment (摘帽) > when the acceptance is scored 85, then the town passes at once (no date: graded when its evaluations are scored) and carries 达标镇');
const GRADE_RECHECK = t(`${E}/grades.test.ts`, 're-assessment (摘帽) > when a passed town fails a later spot check (50), then it loses the pass: 未达标, 达标镇 removed, a grade-changed effect from 达标 to 未达标; a better spot check after that gives nothing back');
const GRADE_MEMBERS = t(`${E}/grades.test.ts`, 'grades of members > when members are scored, then each is graded once both evaluations have a score, by (自评 + 3 × 互评) / 4, and the unit is not');
const SIM_GRADES = t(`${S}/grades.test.ts`, 'grades in a simulation (等次评定) > when two units score 95 and two score 55, then the result counts 2 优秀, 0 合格, 2 不合格 at year end, and the pass flag twice');
const HOLIDAYS = t(`${E}/campaign-calendar.test.ts`, 'given a year the bundled holiday data does not cover > when the process supplies holidays and make-up days, then they are used, and weekdays otherwise');
const FROM_START = t(`${E}/campaign-calendar.test.ts`, 'given a campaign start > when a date is written relative to it, then it is counted from that start');
const PERIODS = 'campaign periods (活动年度): February to February';
const LAPSE = t(`${E}/campaign-periods.test.ts`, `${PERIODS} > when a flag that lasts a year was set, then it lapses on 1 February (a timer is due then); one that lasts the campaign stays`);
const LADDER_PERIOD = t(`${E}/campaign-periods.test.ts`, `${PERIODS} > when complaints come in December and January of one campaign year, then the ladder counts them together; in February it starts again`);
const FIELDS = 'event fields the validator offers are the ones the engine fills';
const HOST_FIELD = t(`${E}/condition-event-fields.test.ts`, `${FIELDS} > a declared host field (fields: [来源]) in a complaint-verified trigger`);
const OVERDUE_EVENT = t(`${E}/condition-event-fields.test.ts`, `${FIELDS} > event.task in a task-overdue trigger and in onOverdue`);
const DECISION_EVENT = t(`${E}/condition-event-fields.test.ts`, `${FIELDS} > event.decision and event.option in a decision-taken trigger`);
const SCORE_EVENT = t(`${E}/condition-event-fields.test.ts`, `${FIELDS} > event.evaluation and event.score in a score-given trigger`);
const FINDING_EVENT = t(`${E}/condition-event-fields.test.ts`, `${FIELDS} > event.inspection in a finding-recorded trigger and in onFinding`);
const CONSEQUENCES = 'consequences and flags (后果与标记)';
const MEMBER_FLAGS = t(`${E}/consequences.test.ts`, `${CONSEQUENCES} > when a member is named in a spot check’s notice, then both flags are set on that member once, however often`);
const CONDITION_OFF = t(`${E}/consequences.test.ts`, `${CONSEQUENCES} > when the notice comes from another inspection, then the condition on the event keeps the flags off`);
const OUTCOME_LADDER = t(`${E}/consequences.test.ts`, `${CONSEQUENCES} > when an outcome names a ladder (an overdue task’s), then the ladder counts for the unit and its rung acts`);
const EVALUATIONS = t(`${E}/evaluations.test.ts`, 'evaluations and scores (评价与得分) > when members are scored, then each score is summed in its slot, the evaluation task is done once, and conditions read each member’s own mean');
const QUARTERLY = 'an evaluation with every: (每季度评比检查, issue 18 defect 1)';
const EVALUATION_EVERY = t(`${E}/evaluations.test.ts`, `${QUARTERLY} > when its quarters come, then each opens its own scoring, due when the next one starts (the last at the end of the phase)`);
const PERMISSIONS = t(`${E}/event-permissions.test.ts`, 'the role an event needs > is checked for every event type, before the state, and a refusal changes nothing');
const LOOP = 'an inspection loop (检查整改)';
const FINDING = t(`${E}/inspections.test.ts`, `${LOOP} > when a finding is recorded, then a first rectification round runs until ten days after the finding’s day`);
const EXHAUSTED = t(`${E}/inspections.test.ts`, `${LOOP} > when a re-inspection fails and then the second round’s deadline passes, then the loop is exhausted and the unit flagged`);
const IN_PHASE = 'given an inspection declared in the phase 对照检查 (4月至5月)';
const INSPECTION_PHASE = t(`${E}/inspection-phase.test.ts`, `${IN_PHASE} > when a finding is recorded in its phase, then the round starts and its action fires`);
const INSPECTION_WORKSTREAM = t(`${E}/inspection-phase.test.ts`, `${IN_PHASE} > when an inspection is declared in a workstream, then it runs while the workstream’s phase does`);
const PERIODIC = 'a periodic inspection (定期检查, every: 每月)';
const PERIODIC_OPENS = t(`${E}/periodic-inspections.test.ts`, `${PERIODIC} > when its months come, then each opens one inspection of the unit for the inspector, due when the next month starts`);
const PERIODIC_DONE = t(`${E}/periodic-inspections.test.ts`, `${PERIODIC} > when April brings a finding, May a clean result and June nothing, then April and May are done, June overdue, and April’s finding runs its rectification round`);
const SIM_PERIODIC = t(`${S}/periodic-inspections.test.ts`, 'given a monthly inspection (每月督查) in 4月至6月 over 10 units > when a unit is found at fault many times a month, then each monthly inspection finds it once: 30 findings, not a random stream between them');
const MONTHLY_REPORT = t(`${E}/recurring-duty-options.test.ts`, 'a monthly report 3月至4月, due 5 days after each start, reminded 2 days before, 催办 when late > when the half-year runs without a report, then only March and April are owed, each due at the end of its fifth day, with its reminder, its 催办 and the office it reports to');
const MEMBER_STUDY = t(`${E}/recurring-duty-options.test.ts`, 'a monthly report 3月至4月, due 5 days after each start, reminded 2 days before, 催办 when late > when each member studies monthly, then every member owes each month of the phase, and the unit’s role may not do it for them');
const NOT_REQUIRED = t(`${E}/recurring-duty-options.test.ts`, 'work that is not required (required: false) in a phase that ends when its required work is done > when the one required task is done, then the unit moves on at once, though the optional task (reported to the office) and the weekly report are open');
const RULES = 'the options of rules (后果、检查、评比)';
const RULE_FINDING = t(`${E}/rule-options.test.ts`, `${RULES} > when a finding comes before and after the unit is flagged 重点关注, then only the second is circulated (onFinding’s when), and the overdue 总结 both flags and 约谈 (the consequence’s actions)`);
const RULE_REINSPECT = t(`${E}/rule-options.test.ts`, `${RULES} > when a rectification is reported done for an inspection with reinspect: false, then the loop is clear at once, with no re-inspection to wait for`);
const RULE_MEMBER = t(`${E}/rule-options.test.ts`, `${RULES} > when an inspection is of members (subject: member), then a finding names a member and starts that member’s round alone`);
const RULE_BAND = t(`${E}/rule-options.test.ts`, `${RULES} > when two units are placed in the bottom band, then only the one its when holds for (重点关注) is flagged 后进`);
const OPTIONS = 'the options of a campaign and its phases';
const NEXT_PHASE = t(`${E}/campaign-options.test.ts`, `${OPTIONS} > when a phase names the phase that follows it (next: 总结), then once its work is done the unit goes there, not to the phase written after it`);
const TIMEZONE = t(`${E}/campaign-options.test.ts`, `${OPTIONS} > when the campaign is kept in another time zone (timezone: Europe/Berlin), then a deadline day ends at midnight there, not in Beijing`);
const SUB = 'a sub-process with work of its own beside its parts, used in 实施 (4月至6月) with due: 5月31日';
const SUB_OPEN = t(`${E}/subprocess-body.test.ts`, `${SUB} > when the unit enters the phase, then its tasks, duties, evaluations, nested uses and the work of its workstreams all open, due by the use’s 5月31日 where they give no date`);
const SUB_FINDING = t(`${E}/subprocess-body.test.ts`, `${SUB} > when its inspection records a finding in the phase, then the round starts`);
const EXECUTOR = t(`${E}/action-executor.test.ts`, 'an action carried out by a named role (by: 局党委) > when the task it follows falls overdue, then the effect names 局党委 as who carries it out, and an action without by names nobody');
const LADDER = 'an escalation ladder (递进处理)';
const RUNGS = t(`${E}/ladders.test.ts`, `${LADDER} > when three complaints against one member are verified in a year, then the rungs 1, 2 and 3 apply in turn`);
const LADDER_SUBJECT = t(`${E}/ladders.test.ts`, `${LADDER} > when complaints concern two members, then each has a count of its own, and one against the unit counts for nobody`);
const THREE_YEARS = t(`${E}/multi-year-campaign.test.ts`, 'a campaign over three years (三年行动) > when it runs 2024–2026 with a quarterly duty, a yearly assessment and a ranking at 年底, then each unit has 12 occurrences, 3 assessments and 3 rankings');
const RECURRING = t(`${E}/recurrences.test.ts`, 'a recurring duty (周期性任务) > starts on the calendar: occurrence n opens task 月学习#n, due when the next one starts');
const LATE_GRACE = t(`${E}/recurrences.test.ts`, 'a recurring duty (周期性任务) > when its timer fires within the late grace, then the occurrence opens; later than that, a skipped one does not');
const MEMBER_SHARE = t(`${E}/tasks.test.ts`, 'tasks (任务) > when a member’s share is done, then the item is required-done only once every member has done theirs');
const PHASE_TASKS = t(`${E}/tasks.test.ts`, 'tasks (任务) > when a phase is entered, then its tasks open for every subject that holds them, one counted from another from its deadline');
const WINDOW_END = t(`${E}/step.test.ts`, 'the pure step (推进一步) > when the window-end timer of a phase fires, then the next phase is entered in the same step with its timers');
const EFFECT = t(`${E}/step.test.ts`, 'the pure step (推进一步) > when a complaint reaches the first rung, then the effect is in the step result with its id, cause and time');
const BRANCH = 'given a unit that took the branch 推开 in March, whose window is 9月至10月';
const BRANCH_TAKEN = t(`${E}/branch-window.test.ts`, `${BRANCH} > when the decision is taken, then the unit is in the branch but none of its tasks is open, overdue or done`);
const DECISION_MOVES = t(`${E}/statechart-shape.test.ts`, 'given a campaign whose phases are the root of the statechart > when a decision moves the phase, then the same event is recorded: its consequence follows');
const USE_RUNNING = t(`${E}/incremental-derivation.test.ts`, 'timers, overdue counts and changed task keys, patched per event > when every open task of a unit is done while its sub-process runs, then the use stays running until its last required item is done, and replay agrees after each step');
const SEED000 = 'given seed 000 over 22 units with 3 members each';
const WUXUE = t('test/seed-000-004.test.ts', `${SEED000} > then 五学 completes as a sub-process in the unit that did all five studies only`);
const SEED000_RECTIFY = t('test/seed-000-004.test.ts', `${SEED000} > then a finding criticises u07, flags it and starts ten-working-day rectification rounds until the campaign ends`);
const SEQUENCE_PARTS = t(`${E}/sequence-parts.test.ts`, 'a sub-process whose parts run in sequence (mode: sequence) > when the phase opens on 1 March, then only the first part’s task opens; the second part’s opens when the first is done, due at the window’s end');
const SIM_SEQUENCE = t(`${S}/sequence-parts.test.ts`, 'given a sub-process of two parts, every task done 20 days after it opens > when its parts run in sequence, then 后做 opens on 21 March and no unit does it by 31 March; in parallel, every unit does it on time');
const SEQUENCE = t('test/seed-000-004.test.ts', 'given seed 004 over 20 units with 3 members each > then the satisfaction survey runs its two parts in sequence');
const SEED002 = 'given seed 002 over 24 units with 5 members each';
const VANGUARD = t('test/seed-002.test.ts', `${SEED002} > then 党员先锋岗报送 reminds u23 three working days before 30 June and is overdue on 1 July`);
const WUPING = t('test/seed-002.test.ts', `${SEED002} > then 五评 completes as a child statechart where every item is done and runs on elsewhere`);
const TOP_TEN = t('test/seed-002.test.ts', `${SEED002} > then at year end the ten best eligible units are 十佳 and the last, being 重点整改, is questioned`);
const MEMBER_RANKING = t('test/seed-002.test.ts', `${SEED002} > then 十佳标兵 are ten members, the best first, without the disqualified member`);
const MINGCHA = t('test/seed-002.test.ts', `${SEED002} > then 明查暗访 without rectification runs two rounds and marks u05 for 重点整改`);
const MONTHLY_STUDY = t('test/seed-002.test.ts', `${SEED002} > then every unit went through the monthly study six times, June to November`);
const BATCHES = 'given towns of a first batch (3月1日) and a second batch (9月1日)';
const COHORT_WAITS = t(`${E}/cohorts.test.ts`, `${BATCHES} > when the campaign starts, then the second batch has no open task and shows 未启动 with its start; the first batch and a town without a batch start at once`);
const COHORT_OPENS = t(`${E}/cohorts.test.ts`, `${BATCHES} > when 1 September comes, then its first task opens, counted from 1 September (2–21 September: due when the 21st is over)`);
const COHORT_CHOSEN = t(`${E}/cohorts.test.ts`, 'given towns that choose their year of acceptance by a decision (申报) > when 镇B applies for next year, then it is 未启动 in 验收 until 1 March 2025, and its task opens then, counted from then');
const CASCADE = t(`${E}/cascade.test.ts`, 'a plan chain county → township → village (层层分解, cascadeWithin) > counts each level from the level above: before anything is done, from the deadlines; then from each completion, on the durable engine');
// The simulator's.
const SIM_BATCHES = 'given a scenario that puts 40% of ten towns in the first batch (3月1日) and 60% in the second (9月1日)';
const SIM_COHORTS = t(`${S}/cohorts.test.ts`, `${SIM_BATCHES} > when the year is simulated, then the second batch is reminded only from September, the office meets once, and no scores or rectification were asked for`);
const COHORT_SHARES = t(`${S}/cohorts.test.ts`, `${SIM_BATCHES} > when the organisation is generated, then 4 and 6 towns get the batches, spread over the list rather than in blocks`);
const SIM_DECISION = 'given a campaign whose phase ends on a decision';
const DECISION_OPTIONS = t(`${S}/seeds.test.ts`, `${SIM_DECISION} > when the scenario takes one option or the other, then the phase path follows it`);
const DECISION_SCOPE = t(`${S}/seeds.test.ts`, `${SIM_DECISION} > when the decision is drawn per unit, then units can take different paths; campaign-wide they all take one`);
const LAX = t(`${S}/seeds.test.ts`, 'when units are lax rather than diligent, then more tasks go overdue and more rungs are climbed');
const SAME_SEED = t(`${S}/simulate.test.ts`, 'given seed 002 (机关作风建设年) and the example scenarios > when the same scenario runs twice with the same seed, then the JSON is byte-identical; another seed differs');
const NOTICES = 'given seed 002, whose rule 抽查被通报个人 reads notices naming members';
const PER_FINDING = t(`${S}/seeds.test.ts`, `${NOTICES} > when no finding is circulated, then no member is graded 不称职; when every one is, then some are`);
const PER_MONTH = t(`${S}/seeds.test.ts`, `${NOTICES} > when notices come at a monthly rate outside inspections, then they are sent but name no inspection, so the rule does not fire`);
const ORGANISATION_FILE = t(`${S}/scenario-validation.test.ts`, 'scenario validation > when the organisation comes from a file, then it is read relative to the scenario and its kinds are known');
const REPEATED = 'given one sub-process used in two phases, as 考评2006 and 考评2007';
const USE_NAMES = t(`${E}/repeated-uses.test.ts`, `${REPEATED} > when 考评2006/自评 is done, then the first use is done, and in the next phase the second use runs with its own open task`);
const REUSE = t(`${E}/repeated-uses.test.ts`, 'given a sub-process used inline in the campaign and from another sub-process > when each run\'s tasks are done in its phase, then each use opens and finishes on its own');
const KEYS = 'every key of a scenario changes the simulation';
const ORGANISATION_KEYS = t(`${S}/scenario-keys.test.ts`, `${KEYS} > when a key of the generated organisation is changed, then the run changes`);
const BEHAVIOUR_KEYS = t(`${S}/scenario-keys.test.ts`, `${KEYS} > when a key of how units behave is changed, by default or for a kind of unit, then the run changes`);
const DECISION_KEYS = t(`${S}/scenario-keys.test.ts`, `${KEYS} > when how a decision is taken is changed, then the run changes`);
const RUN_KEYS = t(`${S}/scenario-keys.test.ts`, `${KEYS} > when the scenario’s id or seed is changed, then the result says so or comes out otherwise`);
const UNKNOWN_PROCESS = t(`${S}/simulate.test.ts`, "given inputs the simulator cannot run > when the process is unknown or not the scenario's, then a coded error in both languages");
const FAITHFUL = 'packages/sim/test/faithful-run.test.ts';
const OWN_RATE = t(FAITHFUL, 'given two inspections in one phase, 督查 (its finding a 整改通知, notify) and 暗访 (a 通报批评, criticise) > when only 督查 has a rate of its own (findingsPerMonth) and the shared rate is 0, then every finding is 督查’s: notices, no criticism');
const OWN_RATE_PERIODIC = t(FAITHFUL, 'given a monthly inspection (定期检查, every: 每月) in 4月至6月 over 4 units, with a rate of its own > when its own rate is 50 a month and the shared one 0, then each of the 12 occurrences finds something (1 − e^−50 ≈ 1)');
const REFUSED_SHARE = t(FAITHFUL, 'given an inspection of members, whose loops the engine’s state does not list, found far more often than it is rectified > when they are above the stated share, then the run fails with SIM_TOO_MANY_REFUSED and the counts it refused and sent');
const SIM_CLOSE_AT = t('test/campaign-close-sim.test.ts', "given the standing mechanism simulated for 2 years over 4 units > when the scenario closes it on 1 July 2024, then each unit has only January to June's reports (4 × 6 = 24, not 4 × 25 = 100), no ranking flags anyone, and each of the 5 instances is told");
const SIM_PHASE = t(`${S}/inspection-phase.test.ts`, 'given an inspection in 对照检查 (9月至10月), a branch every unit takes in March > when the year is simulated, then findings come only in September and October, and none is refused');

const CAMPAIGN_DUTIES = t(`${E}/campaign-recurring.test.ts`, 'given campaign-level duties (每季度进展, 每半年总结) over three phases of 2024 > when the year runs with nothing done, then each unit has 4 quarterly reports and 2 half-yearly summaries across the phases, due as written');
const CYCLE_TASKS = t(`${E}/cycles.test.ts`, "given a yearly cycle over 2024–2026 (部署 1月, 自查 2–6月, 考核 11–12月, 年底排名) > when every unit does its work, then each has 3 of each phase's tasks, one per year due on the same day, named by the cycle after the first");
const CYCLE_RANKING = t(`${E}/cycles.test.ts`, "given a yearly cycle over 2024–2026 (部署 1月, 自查 2–6月, 考核 11–12月, 年底排名) > when 甲 scores 90 then 70 and 乙 60 then 80, then 2024 ranks 甲 first and 2025 乙 first (on 2025's scores, where the means of both years would put 甲 first)");
const CYCLE_HALF = t(`${E}/cycles.test.ts`, "given a half-yearly cycle (每半年: 部署 the first month, 自查 the next four, 总结 the last) > when it runs 2024, then each unit has two of each task, the second half's six months on (30 June → 31 December), and two rankings");
const CYCLE_RULES = t(`${E}/cycles.test.ts`, "given a half-yearly cycle with a yearly ladder, a flag that lasts a year and a rule on this cycle's score > when complaints come in May and June, then the second climbs to rung 2 and flags the unit; in July the ladder starts again and the flag has lapsed; a low score read in July is July's cycle's, and event.evaluation names the evaluation as written");
const STANDING_MECHANISM = t(`${E}/standing-mechanism.test.ts`, 'given a standing mechanism (长效机制, standing: true) from 2024 > when it runs three years, then each unit has 6 half-yearly reports, 3 assessments and 3 rankings, with only the next of each set ahead; closed, nothing is left');
const AFTER_PHASE = t(`${E}/work-after-phase.test.ts`, 'given a phase report due after its phase (集中整治 4月至5月, 阶段总结 due 6月15日) > when the phase ends on 31 May, then a report due after its phase is still open after the phase ends, and overdue only after 15 June');

const LIGHTS = 'given tasks due 6 May, 10 May and 13 May 2024, yellow 3 working days before their due day';
const LIGHT_HOLIDAY = t(`${E}/traffic-lights.test.ts`, `${LIGHTS} > when 27 April ends, then every task is green; on Sunday 28 April (worked, 调休) 节后报告 turns yellow: 3 working days before Monday 6 May across the holiday`);
const LIGHT_YELLOW = t(`${E}/traffic-lights.test.ts`, `${LIGHTS} > when Monday 6 May is over, then 整改方案 (due Friday 10 May) turns yellow on Tuesday 7 May and 整改报告 (due Monday 13 May, Saturday 11 May worked) on Thursday 9 May`);
const LIGHT_RED = t(`${E}/traffic-lights.test.ts`, `${LIGHTS} > when 整改方案 is not done by Friday 10 May, then it is red from Saturday 11 May, costs 2 points and a 约谈, and turns blue only once done; the unit is red meanwhile`);
const SECOND_YELLOW = t(`${E}/traffic-lights.test.ts`, `${LIGHTS} > when 复查报告 (5 working days after 整改方案) turns yellow, goes green as 整改方案 is done late and yellow again, then the second yellow on the same task brings 专函督办 and 1 more point off`);
const NO_LIGHTS = t(`${E}/traffic-lights.test.ts`, `${LIGHTS} > when the campaign has no lights, then no task and no unit shows one`);
const URGING = 'given 整改方案 due Friday 10 May 2024 and urging every 2 working days';
const URGE_YELLOW = t(`${E}/urging.test.ts`, `${URGING} > when it is urged from yellow, 4 times at most, and done on Wednesday 15 May, then notices go on Tuesday 7, Thursday 9, Saturday 11 (worked) and Tuesday 14 May`);
const URGE_OVERDUE = t(`${E}/urging.test.ts`, `${URGING} > when it is urged from overdue, 3 times at most, and never done, then notices go on Saturday 11 (worked), Tuesday 14 and Thursday 16 May, and no more`);

/**
 * Keys without a test that shows their effect yet. The test prints them; each is a defect to
 * close (a test, or the key's handling), never a place to park a new key.
 */
const KNOWN_GAPS: ReadonlyMap<string, string> = new Map([
  ['CampaignDefinition.subjects', 'read by the validator only (which subjects work may name); the engine derives subjects from the work'],
  ['CampaignDefinition.scale', 'read by the validator only (a ranking band checked against the organisation’s size, DSL_RANKING_NO_SCALE)'],
  ['CampaignDefinition.version', 'never read: the engine numbers deployed versions itself, by content'],
  ['SubProcessDefinition.version', 'as CampaignDefinition.version'],
  ['GradeBand.below', 'read by the validator only: a band runs from its min to the next band’s, and a below that does not meet it is DSL_GRADE_BANDS_GAP or DSL_GRADE_BANDS_OVERLAP (packages/dsl/test/grading-check.test.ts), so the engine places a score by the mins alone'],
  ['OrganisationScale.units', 'as CampaignDefinition.scale'],
  ['OrganisationScale.members', 'as CampaignDefinition.scale'],
  ['Scenario.kind', 'the file’s discriminator (always scenario), read by the loaders, not the simulation'],
  ['GeneratedOrganisation.office', 'names the root unit (default office); no result of a run shows it, so changing it changes nothing'],
]);

/** A descriptive key: its reason is the allow-list's for its name (DESCRIPTIVE_REASONS). */
const ITEMS = 'given a campaign whose 整改办 opens 整改任务 for units, at 县级 first, escalated after every 2 failed checks';
const ITEM_LIFECYCLE = t(`${E}/tracked-items.test.ts`, `${ITEMS} > when an item is opened, reported, resolved, verified and closed, then the query shows each step and it ends 已销号 at 县级`);
const ITEM_ESCALATES = t(`${E}/tracked-items.test.ts`, `${ITEMS} > when a check fails, then the item is open again; the second failure escalates it to 市级 with an item-escalated effect, the fourth to 省级, and it never goes past 省级`);
const ITEM_REDS = t(`${E}/tracked-items.test.ts`, 'given a 重点项目 with a plan of 1,200 for 2024, escalated after 2 reds in a row > when monthly reports give 100, 150, 100, 150, 300, then green, yellow (25% short), red (67% short), red again (63% short) escalating to 市级, and yellow (40% short) only once progress is made up');
const SIM_ITEMS_PASS = t(`${S}/items.test.ts`, 'items in a simulation (督办事项) > when every check passes, then items are opened, all sent opened items are counted, most are struck off and none escalates');
const SIM_ITEMS_FAIL = t(`${S}/items.test.ts`, 'items in a simulation (督办事项) > when every check fails, then nothing is struck off and every item checked is escalated to 市级');
const SIM_PROGRESS = 'item progress in a simulation (督办事项, 项目亮牌)';
const SIM_ON_PLAN = t(`${S}/item-progress.test.ts`, `${SIM_PROGRESS} > when every unit keeps to the plan (progress 1), then no item is ever yellow or red and none escalates`);
const SIM_SHORT = t(`${S}/item-progress.test.ts`, `${SIM_PROGRESS} > when every unit reaches 30% of the plan, then every item reported is red (70% short) and each second red in a row escalates it, to 省级 at most`);
const SIM_PROGRESS_KINDS = t(`${S}/item-progress.test.ts`, `${SIM_PROGRESS} > when one kind of unit keeps to the plan and the other reaches 30%, then only the second kind’s items are red`);
const SIM_TARGET_DUE = t(`${S}/item-progress.test.ts`, `${SIM_PROGRESS} > when items are given a target and a due day, then each is opened with the target and the due day that many days after its opening`);
const SIM_LABELS = t(`${S}/item-progress.test.ts`, `${SIM_PROGRESS} > when the office labels items without a target blue or green at its roll-calls, then every item labelled ends blue or green, both kinds of label given`);
const D2_SCENARIO = 'D2 广元 贴蓝签、挂黄牌、亮红灯: the baseline scenario and variants of it';
const D2_YELLOW_LABELS = t('test/supervision-scenarios.test.ts', `${D2_SCENARIO} > when the office labels every open item yellow at every roll-call, then each item labelled twice or more gets one 专函督办 (the second yellow), and nobody is interviewed`);
const D2_RED_LABELS = t('test/supervision-scenarios.test.ts', `${D2_SCENARIO} > when the office labels every open item red, then each label costs an interview of the principal and accountability (约谈, 追责问责)`);
const SIM_EXTENSIONS = 'extension requests in a simulation (申请延期)';
const SIM_GRANTED = t(`${S}/extension-requests.test.ts`, `${SIM_EXTENSIONS} > when every unit asks for 3 more days and the office grants all, then 整改方案 is done on time in every unit, each request counted in March`);
const SIM_REFUSED = t(`${S}/extension-requests.test.ts`, `${SIM_EXTENSIONS} > when the office grants none, then the requests are refused and 整改方案 is late in every unit`);
const SIM_TOO_LONG = t(`${S}/extension-requests.test.ts`, `${SIM_EXTENSIONS} > when units ask for 12 days, beyond 5 working days, then the engine refuses every request (ENGINE_EXTENSION_TOO_LONG) and nothing is decided`);
const SIM_NO_ASKING = t(`${S}/extension-requests.test.ts`, `${SIM_EXTENSIONS} > when no unit asks (share 0), then nothing is requested and the result still counts extensions`);
const ITEM_REFUSED = t(`${E}/tracked-items.test.ts`, `${ITEMS} > when the office opens an item twice, a third of a kind limited to 2, one of an undeclared kind, or a unit (no 整改办 role) opens one, then each is refused`);
const EXTENSIONS = 'given 整改方案 due Friday 10 May 2024, extensions decided by 督查室, once at most, 5 working days at most';
const EXTENSION_TOO_FAR = t(`${E}/extension-requests.test.ts`, `${EXTENSIONS} > when 甲县 asks on 6 May, then 17 May is too far (11 worked, 13–16 May: 5 working days end with 16 May), 16 May waits in the inbox; a second request waits for the first`);
const EXTENSION_APPROVED = t(`${E}/extension-requests.test.ts`, `${EXTENSIONS} > when the request waits through the yellow of 7 May and 督查室 approves on 10 May, then 整改方案 is due when 16 May ends, 已延期 once, green until Monday 13 May (3 working days before 16 May), red from 17 May; a second extension is refused`);
const NO_EXTENSIONS = t(`${E}/extension-requests.test.ts`, `${EXTENSIONS} > when the campaign has no extensions key, then a request is refused: it allows none`);
const ITEM_CARDS = 'given items of kind 问题 opened by the findings of 专项督查 (rectify within 10 working days), lit 3 working days before their due day';
const ITEM_FROM_FINDING = t(`${E}/item-cards.test.ts`, `${ITEM_CARDS} > when 专项督查 records a finding on Monday 22 April, then item 专项督查-1 is due when Wednesday 8 May ends, yellow from Tuesday 30 April, red from 9 May; each card is heard for the unit`);
const ITEM_FROM_LIMIT = t(`${E}/item-cards.test.ts`, `${ITEM_CARDS} > when a third finding comes to a unit holding two 问题 (limit 2), then the finding stands and no item is opened`);
const D6 = 'D6 三亚市推进项目建设红黄绿亮牌督办机制 (2022)';
const D6_AREA = t('test/directives/d6-sanya-liangpai.test.ts', `${D6} > then the area is green when its monthly task is met, yellow when missed, red when missed two months running, and green again once met`);
const D6_YELLOWS = t('test/directives/d6-sanya-liangpai.test.ts', `${D6} > then a yellow brings an interview of the responsible person, two yellows in a row the vice-mayor, and each red the city leader`);
const D2 = 'D2 广元市环境保护督察问题整改“贴蓝签、挂黄牌、亮红灯”制度（试行）';
const D2_SECOND_YELLOW = t('test/directives/d2-guangyuan-lanqian.test.ts', `${D2} > when the same task gets its second yellow, then 专函督办 and 1 point off its unit; yellows on different items do not add up`);
const D2_RED = t('test/directives/d2-guangyuan-lanqian.test.ts', `${D2} > when a petition case is given a red, then 2 points off, the principal is interviewed and held to account, and the unit shows red`);
const MONTH_AREA = 'given an area with a year target of 1,200, carded every month (every: 每月, redAfterMisses: 2)';
const MONTH_CARDS_AREA = t(`${E}/monthly-cards.test.ts`, `${MONTH_AREA} > when it reports 100 in January, nothing in February or March, 400 in April, nothing in May and 450 in June, then green, yellow at 1 March, red at 1 April, green, no card at 1 May, yellow at 1 June, red at the June report`);
const MONTH_CARDS_PROJECT = t(
  `${E}/monthly-cards.test.ts`,
  'given a key project with a year plan of 1,200, carded every month by the share’s thresholds > when it reports 150 in February and nothing in March or April, then green, yellow at 1 April (150 of 300, 50 % short), red at 1 May (150 of 400, 62.5 % short), and green when 500 is reported in May',
);
const SIM_MONTH_CARDS = t(
  `${S}/item-monthly-cards.test.ts`,
  'monthly cards in a simulation (按月亮牌) > when units never report (unreported: 1) on a kind carded every month, then each item opened in month k is yellow at the turn of month k + 1 and red at every turn after, to December',
);
const D6_MONTHLY = t(
  'test/directives/d6-monthly-cards.test.ts',
  'D6 三亚: an area that stops reporting after March is still carded every month > then 1 May cards unreported April: the project 150 of 400 (62.5 % short) red, the city leader interviews; the area 900 of 2,000, its second miss running, red',
);
const D = 'descriptive';
type Entry = readonly TestRef[] | typeof D;

/** Schema path → the tests that show its effect (or D), by the definition that declares the key. */
const COVERAGE_BY_DEFINITION: { readonly [definition: string]: { readonly [key: string]: Entry } } = {
  ProcessFile: { kind: [START, WUXUE] },
  SourceDocument: { title: D, number: D, issuer: D, date: D, location: D },
  CampaignDefinition: {
    $schema: D, id: [START], kind: [START], title: D, titleEn: D, source: D, note: D,
    year: [THREE_YEARS], start: [FROM_START], end: [ENDED, THREE_YEARS], holidays: [HOLIDAYS], timezone: [TIMEZONE],
    roles: [FORBIDDEN], flags: [MEMBER_FLAGS], actions: [EFFECT], phases: [WINDOW_END],
    consequences: [MEMBER_FLAGS], ladders: [RUNGS], rankings: [TOP_TEN], recurring: [CAMPAIGN_DUTIES], standing: [STANDING_MECHANISM], cycle: [CYCLE_TASKS, CYCLE_RANKING, CYCLE_HALF, CYCLE_RULES],
    cohorts: [COHORT_WAITS, COHORT_OPENS], lights: [LIGHT_HOLIDAY, NO_LIGHTS], grades: [GRADE_YEAR_END, GRADE_SCORED], items: [ITEM_LIFECYCLE],
    extensions: [EXTENSION_APPROVED, NO_EXTENSIONS],
  },
  Extensions: { decidedBy: [EXTENSION_APPROVED], maxTimes: [EXTENSION_APPROVED], maxDelay: [EXTENSION_TOO_FAR], quote: D, note: D },
  TrackedItemKind: {
    id: [ITEM_LIFECYCLE], title: D, by: [ITEM_REFUSED], levels: [ITEM_ESCALATES], escalateAfter: [ITEM_ESCALATES], escalateAfterReds: [ITEM_REDS], limit: [ITEM_REFUSED, ITEM_FROM_LIMIT],
    redAfterMisses: [D6_AREA], from: [ITEM_FROM_FINDING, ITEM_FROM_LIMIT], every: [MONTH_CARDS_AREA, MONTH_CARDS_PROJECT, SIM_MONTH_CARDS, D6_MONTHLY], quote: D, note: D,
  },
  TrafficLights: { yellowBefore: [LIGHT_HOLIDAY, LIGHT_YELLOW], blue: [LIGHT_RED], urge: [URGE_YELLOW, URGE_OVERDUE], quote: D, note: D },
  Urging: { from: [URGE_YELLOW, URGE_OVERDUE], every: [URGE_YELLOW, URGE_OVERDUE], times: [URGE_YELLOW, URGE_OVERDUE], action: [URGE_OVERDUE] },
  ScoreDeduction: { from: [LIGHT_RED], points: [LIGHT_RED, SECOND_YELLOW] },
  Cohort: { id: [COHORT_WAITS], title: D, titleEn: D, quote: D, note: D, start: [COHORT_OPENS] },
  SubProcessDefinition: {
    $schema: D, id: [WUXUE], kind: [WUXUE], title: D, titleEn: D, source: D, note: D,
    mode: [SEQUENCE_PARTS, SIM_SEQUENCE], parts: [WUPING, SEQUENCE, SEQUENCE_PARTS], actions: [WUPING], roles: [WUPING], flags: [MINGCHA],
    tasks: [SUB_OPEN], recurring: [SUB_OPEN], evaluations: [SUB_OPEN], inspections: [SUB_OPEN, SUB_FINDING], uses: [SUB_OPEN, REUSE], workstreams: [SUB_OPEN],
  },
  Role: { id: [FORBIDDEN], title: D, titleEn: D, level: [START] },
  Flag: { id: [MEMBER_FLAGS], title: D, titleEn: D, subject: [MEMBER_FLAGS], lasts: [LAPSE] },
  Action: { id: [EFFECT], title: D, titleEn: D, effect: [EFFECT], by: [EXECUTOR] },
  HolidayCalendar: { holidays: [HOLIDAYS], workdays: [HOLIDAYS] },
  Phase: {
    id: [START], title: D, titleEn: D, quote: D, note: D, window: [WINDOW_END, BRANCH_TAKEN], exit: [YEAR], next: [NEXT_PHASE],
    decisions: [DECISION_MOVES], tasks: [PHASE_TASKS], recurring: [RECURRING], evaluations: [EVALUATIONS],
    inspections: [INSPECTION_PHASE], uses: [WUXUE], workstreams: [VANGUARD],
  },
  Workstream: {
    id: [VANGUARD], title: D, titleEn: D, quote: D, note: D, tasks: [VANGUARD], recurring: [MONTHLY_STUDY],
    inspections: [INSPECTION_WORKSTREAM], evaluations: [SUB_OPEN], uses: [SUB_OPEN], workstreams: [SUB_OPEN],
  },
  Decision: { id: [DECISION_MOVES], title: D, by: [PERMISSIONS], options: [DECISION_MOVES] },
  DecisionOption: { id: [DECISION_MOVES], title: D, next: [DECISION_MOVES, BRANCH_TAKEN], cohort: [COHORT_CHOSEN] },
  Task: {
    id: [START], title: D, titleEn: D, quote: D, note: D, owner: [FORBIDDEN], subject: [MEMBER_SHARE],
    due: [PHASE_TASKS, FROM_TASK, AFTER_PHASE], remindBefore: [REMIND, VANGUARD], onOverdue: [OVERDUE_EVENT], reportTo: [NOT_REQUIRED], required: [NOT_REQUIRED],
    cascadeWithin: [CASCADE],
  },
  RecurringDuty: {
    id: [RECURRING], title: D, titleEn: D, quote: D, note: D, every: [RECURRING, THREE_YEARS],
    missed: [SKIP, LATE_GRACE, FIRE_EACH], from: [MONTHLY_REPORT], until: [MONTHLY_REPORT], dueWithin: [MONTHLY_REPORT], remindBefore: [MONTHLY_REPORT],
    onOverdue: [MONTHLY_REPORT], reportTo: [MONTHLY_REPORT], owner: [MEMBER_STUDY], subject: [MEMBER_STUDY], required: [NOT_REQUIRED],
  },
  Evaluation: {
    id: [EVALUATIONS], title: D, titleEn: D, quote: D, note: D, by: [PERMISSIONS], subject: [EVALUATIONS],
    due: [THREE_YEARS], every: [EVALUATION_EVERY, THREE_YEARS], scale: [SCORE_RANGE],
  },
  ScoreScale: { min: [SCORE_RANGE], max: [SCORE_RANGE] },
  Inspection: {
    id: [FINDING], title: D, titleEn: D, quote: D, note: D, by: [PERMISSIONS], every: [PERIODIC_OPENS, PERIODIC_DONE, SIM_PERIODIC],
    rectifyWithin: [FINDING], reinspect: [RULE_REINSPECT], subject: [RULE_MEMBER], maxRounds: [EXHAUSTED], onFinding: [INSPECTION_PHASE], onFailed: [EXHAUSTED], onExhausted: [EXHAUSTED],
  },
  Outcome: { when: [RULE_FINDING], actions: [INSPECTION_PHASE], flags: [EXHAUSTED], ladder: [OUTCOME_LADDER] },
  SubProcessUse: { use: [WUXUE], id: [USE_NAMES, REUSE], due: [SUB_OPEN], title: D, quote: D, note: D },
  EscalationLadder: {
    id: [RUNGS], title: D, titleEn: D, quote: D, note: D, subject: [LADDER_SUBJECT], on: [RUNGS], period: [LADDER_PERIOD], rungs: [RUNGS],
  },
  Trigger: { event: [COMPLAINTS, OVERDUE_EVENT, DECISION_EVENT, SCORE_EVENT, FINDING_EVENT, SECOND_YELLOW, D2_SECOND_YELLOW, D2_RED, D6_YELLOWS], fields: [HOST_FIELD], when: [CONDITION_OFF] },
  Rung: { level: [RUNGS], actions: [RUNGS], flags: [COMPLAINTS] },
  Consequence: {
    id: [MEMBER_FLAGS], title: D, titleEn: D, quote: D, note: D, subject: [MEMBER_FLAGS], on: [MEMBER_FLAGS], flags: [MEMBER_FLAGS], actions: [RULE_FINDING],
    deduct: [LIGHT_RED, SECOND_YELLOW],
  },
  Ranking: {
    id: [TOP_TEN], title: D, titleEn: D, quote: D, note: D, subject: [MEMBER_RANKING], at: [TOP_TEN, THREE_YEARS],
    weights: [TOP_TEN], eligible: [YEAR, TOP_TEN], top: [TOP_TEN], bottom: [TOP_TEN],
  },
  Grading: {
    id: [GRADE_YEAR_END], title: D, titleEn: D, quote: D, note: D, subject: [GRADE_MEMBERS], at: [GRADE_YEAR_END, GRADE_SCORED, SIM_GRADES],
    weights: [GRADE_YEAR_END, GRADE_MISSING, GRADE_MEMBERS], bands: [GRADE_YEAR_END], veto: [GRADE_YEAR_END], recheck: [GRADE_RECHECK],
  },
  GradeBand: { grade: [GRADE_YEAR_END, GRADE_RECHECK], min: [GRADE_YEAR_END, GRADE_MEMBERS], actions: [GRADE_YEAR_END], flags: [GRADE_YEAR_END, GRADE_RECHECK] },
  GradeVeto: { flags: [GRADE_YEAR_END], cap: [GRADE_YEAR_END] },
  RankingBand: { count: [TOP_TEN], actions: [TOP_TEN], when: [RULE_BAND], flags: [RULE_BAND] },
  // The scenario's.
  Scenario: {
    title: D, note: D, id: [RUN_KEYS], process: [UNKNOWN_PROCESS], seed: [SAME_SEED, RUN_KEYS], organisation: [ORGANISATION_KEYS],
    organisationFile: [ORGANISATION_FILE], behaviour: [LAX, BEHAVIOUR_KEYS], decisions: [DECISION_OPTIONS, DECISION_KEYS],
    maxRefusedShare: [REFUSED_SHARE], closeAt: [SIM_CLOSE_AT],
  },
  GeneratedOrganisation: {
    units: [ORGANISATION_KEYS], membersPerUnit: [ORGANISATION_KEYS], kinds: [ORGANISATION_KEYS], nesting: [ORGANISATION_KEYS], cohorts: [SIM_COHORTS, COHORT_SHARES],
  },
  CohortShare: { id: [SIM_COHORTS], share: [COHORT_SHARES] },
  UnitKindShare: { id: [ORGANISATION_KEYS], share: [ORGANISATION_KEYS] },
  Nesting: { groups: [ORGANISATION_KEYS], kind: [ORGANISATION_KEYS], members: [ORGANISATION_KEYS] },
  BehaviourSet: { default: [LAX, BEHAVIOUR_KEYS], kinds: [BEHAVIOUR_KEYS] },
  Behaviour: {
    tasks: [LAX, BEHAVIOUR_KEYS], scores: [BEHAVIOUR_KEYS], rectification: [BEHAVIOUR_KEYS], complaintsPerMemberPerMonth: [LAX, BEHAVIOUR_KEYS],
    findingsPerUnitPerMonth: [SIM_PHASE, BEHAVIOUR_KEYS], notifications: [PER_FINDING, BEHAVIOUR_KEYS], items: [SIM_ITEMS_PASS],
    findingsPerMonth: [OWN_RATE, OWN_RATE_PERIODIC, BEHAVIOUR_KEYS],
    extensions: [SIM_GRANTED],
  },
  BehaviourOverride: {
    tasks: [BEHAVIOUR_KEYS], scores: [BEHAVIOUR_KEYS], rectification: [BEHAVIOUR_KEYS], complaintsPerMemberPerMonth: [BEHAVIOUR_KEYS],
    findingsPerUnitPerMonth: [BEHAVIOUR_KEYS], notifications: [BEHAVIOUR_KEYS], items: [SIM_ITEMS_PASS, SIM_PROGRESS_KINDS],
    findingsPerMonth: [BEHAVIOUR_KEYS],
    extensions: [SIM_GRANTED],
  },
  ItemBehaviour: {
    openedPerUnitPerMonth: [SIM_ITEMS_PASS], resolveDays: [SIM_ITEMS_PASS], passRate: [SIM_ITEMS_PASS, SIM_ITEMS_FAIL],
    target: [SIM_TARGET_DUE, SIM_ON_PLAN], dueDays: [SIM_TARGET_DUE], progress: [SIM_ON_PLAN, SIM_SHORT], labels: [SIM_LABELS, D2_YELLOW_LABELS],
    unreported: [SIM_MONTH_CARDS],
  },
  ItemLabels: { blue: [SIM_LABELS], green: [SIM_LABELS], yellow: [D2_YELLOW_LABELS], red: [D2_RED_LABELS] },
  ExtensionBehaviour: { share: [SIM_GRANTED, SIM_NO_ASKING], days: [SIM_GRANTED, SIM_TOO_LONG], granted: [SIM_GRANTED, SIM_REFUSED] },
  TaskBehaviour: { delay: [LAX, BEHAVIOUR_KEYS], neverProbability: [LAX, BEHAVIOUR_KEYS] },
  Distribution: { kind: [BEHAVIOUR_KEYS], mean: [BEHAVIOUR_KEYS], sd: [BEHAVIOUR_KEYS], min: [BEHAVIOUR_KEYS], max: [BEHAVIOUR_KEYS] },
  ScoreBehaviour: { default: [BEHAVIOUR_KEYS], evaluations: [BEHAVIOUR_KEYS] },
  RectificationBehaviour: { onTime: [BEHAVIOUR_KEYS], late: [BEHAVIOUR_KEYS], failsReinspection: [BEHAVIOUR_KEYS] },
  NotificationBehaviour: { perFinding: [PER_FINDING, BEHAVIOUR_KEYS], perMemberPerMonth: [PER_MONTH, BEHAVIOUR_KEYS], delay: [BEHAVIOUR_KEYS] },
  DecisionBehaviour: { options: [DECISION_OPTIONS, DECISION_KEYS], scope: [DECISION_SCOPE], delay: [DECISION_KEYS] },
};

/** The map flattened: `Definition.key` → its entry. */
function coverage(): Map<string, Entry> {
  const flat = new Map<string, Entry>();
  for (const [definition, keys] of Object.entries(COVERAGE_BY_DEFINITION)) {
    for (const [key, entry] of Object.entries(keys)) flat.set(`${definition}.${key}`, entry);
  }
  return flat;
}

/** Whether a path may be descriptive: its key is on the allow-list, or its definition is reached only through one. */
function descriptiveReason(path: string): string | undefined {
  const [definition = '', ...rest] = path.split('.');
  const key = rest.join('.');
  const through = DESCRIPTIVE_DEFINITIONS.get(definition);
  if (through !== undefined) return `${DESCRIPTIVE_REASONS.get(through) ?? ''} (inside ${through})`;
  return DESCRIPTIVE_REASONS.get(key);
}

describe('construct coverage: every key that validates is shown to run (issue 18)', () => {
  const paths = [
    ...schemaPropertyPaths(readSchema(`${root}packages/dsl/schema/process.schema.json`), 'ProcessFile'),
    ...schemaPropertyPaths(readSchema(`${root}packages/sim/schema/scenario.schema.json`), 'Scenario'),
  ];
  const titles = testTitles(root, TEST_FOLDERS);
  const map = coverage();

  it('when the schemas are read, then their keys are found through every definition', () => {
    // A few keys in nested definitions, to show the walk reaches them (not a list to keep up to date).
    expect(paths).toEqual(expect.arrayContaining(['ProcessFile.kind', 'Inspection.every', 'Trigger.fields', 'EscalationLadder.period', 'ScoreScale.min', 'Scenario.seed', 'Distribution.sd']));
  });

  it('when each key of the process and scenario schemas is looked up, then it names a test that shows its effect, or is a descriptive key, or a known gap', () => {
    const unmapped = paths.filter((path) => !map.has(path) && !KNOWN_GAPS.has(path));
    expect(unmapped, 'keys with no test named in test/construct-coverage.test.ts (add the test and its title)').toEqual([]);
  });

  it('when a key is mapped, then it is a key of a schema, and each test named exists with that full title in that file', () => {
    const known = new Set(paths);
    expect([...map.keys(), ...KNOWN_GAPS.keys()].filter((path) => !known.has(path)), 'mapped keys no schema has').toEqual([]);
    const missing: string[] = [];
    for (const [path, entry] of map) {
      if (entry === D) continue;
      for (const [file, title] of entry) if (!titles.get(file)?.has(title)) missing.push(`${path}: ${file}: ${title}`);
    }
    expect(missing, 'tests named that do not exist').toEqual([]);
  });

  it('when a key is mapped as descriptive, then it is one of the allow-list (title, titleEn, quote, note, source, $schema)', () => {
    const refused = [...map].filter(([path, entry]) => entry === D && descriptiveReason(path) === undefined).map(([path]) => path);
    expect(refused, 'keys that must name a test, not a place they are shown').toEqual([]);
  });

  it('when a known gap is listed, then it has no test yet (a key with one leaves the list) and the list is printed', () => {
    expect([...KNOWN_GAPS.keys()].filter((path) => map.has(path)), 'known gaps that are mapped: remove them from KNOWN_GAPS').toEqual([]);
    if (KNOWN_GAPS.size > 0) {
      console.warn(`construct coverage: ${KNOWN_GAPS.size} known gap(s), keys that validate with no test showing them run:\n${[...KNOWN_GAPS].map(([path, why]) => `  ${path}: ${why}`).join('\n')}`);
    }
  });
});
