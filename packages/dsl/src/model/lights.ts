import type { DurationExpression, Id } from './common.js';

/**
 * 红黄绿灯 — traffic lights (亮灯督办) on every task and unit of the campaign: a task shows green
 * while it is open and its due day is still far, yellow (黄灯) from `yellowBefore` its due day,
 * red (红灯) once it is overdue, and, when it is done, blue (蓝签, with `blue: true`) or green. A red
 * light turns back only when the work is done (no yellow or green while overdue). A unit shows the
 * worst light of its tasks (its own and its members'): red, then yellow, then green, then blue.
 * Each time a task turns yellow the engine raises the event `task-yellow` (with `event.task` and
 * `event.yellows`, the count of yellows on that task); a red light is `task-overdue`. Ladders and
 * consequences listen to them: "同一任务第二次黄牌，专函督办并扣1分" is a consequence on
 * `task-yellow` with `when: "event.yellows == 2"`. Items tracked to closure (`items`) are lit too: by
 * their due day like a task, by their target's share, or by the office's label (`item.assessed`); each
 * yellow or red card raises `item-yellow` / `item-red` for the item's unit, and a unit's light is the
 * worst of its tasks' and its items'.
 * 每项任务、每个单位亮灯：未到期为绿灯，截止日前 `yellowBefore` 起为黄灯，逾期为红灯，完成后为蓝灯
 * （`blue: true`）或绿灯；红灯须办结后才转色；单位取其任务中最差的灯色。
 */
export interface TrafficLights {
  /**
   * 黄灯提前量 — a task turns yellow this long before its due day, from the start of that day:
   * "3个工作日" for a task due Friday 10 May 2024 turns yellow on Tuesday 7 May (working days on
   * the calendar with 调休). A task opened later than that is yellow from when it opens.
   */
  yellowBefore: DurationExpression;
  /** 蓝灯 — a task done shows blue (蓝签) rather than green; a unit whose tasks are all done shows blue. Default false. */
  blue?: boolean;
  /** 催办 — urging notices while a task is yellow or overdue. */
  urge?: Urging;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/**
 * 催办 — repeated urging notices on a task near its due day or overdue, each an effect for the host:
 * the first when the task turns yellow (`from: yellow`) or goes overdue (`from: overdue`), then one
 * every `every` (on the Nth working day after the last, at the start of the day) while the task is
 * not done, `times` at most.
 */
export interface Urging {
  /** 起催 — from the yellow light (default) or from overdue. */
  from?: 'yellow' | 'overdue';
  /** 间隔 — how long between two notices: "2个工作日", "3天", "1周". */
  every: DurationExpression;
  /**
   * 最多次数 — at most this many notices per task.
   * @TJS-type integer
   * @minimum 1
   * @maximum 100
   */
  times: number;
  /** 措施 — the action each notice is (an action id), e.g. 催办通知; default an effect `remind` titled 催办. */
  action?: Id;
}

/**
 * 扣分 — points taken off a subject's score in an evaluation ("扣年度考核1分"): the evaluation's
 * mean score less the points deducted, wherever the score is read (conditions, rankings, views).
 */
export interface ScoreDeduction {
  /** 评价 — the evaluation whose score loses the points. */
  from: Id;
  /**
   * 分值 — how many points.
   * @exclusiveMinimum 0
   * @maximum 1000
   */
  points: number;
}
