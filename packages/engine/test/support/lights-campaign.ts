/**
 * A campaign with traffic lights (红黄绿灯), for the lights and urging tests: tasks due 6, 10 and
 * 13 May 2024 and one counted 5 working days after 整改方案; yellow 3 working days before the due
 * day; a second yellow on a task costs 1 point and a 专函督办, a red light 2 points and a 约谈.
 */
export const LIGHTS_CAMPAIGN = `
kind: campaign
id: 亮灯督办
title: 亮灯督办
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 专函督办, title: 专函督办, effect: notify }
  - { id: 约谈, title: 约谈, effect: admonish }
lights:
  yellowBefore: 3个工作日
  blue: true
consequences:
  - id: 第二次黄牌
    title: 同一任务第二次黄牌
    on: { event: task-yellow, when: "event.yellows == 2" }
    actions: [专函督办]
    deduct: { from: 年度考核, points: 1 }
  - id: 亮红灯
    title: 亮红灯
    on: { event: task-overdue }
    actions: [约谈]
    deduct: { from: 年度考核, points: 2 }
phases:
  - id: 整改
    title: 整改
    window: 4月1日至6月30日
    tasks:
      - { id: 节后报告, title: 节后报告, owner: 单位, due: 5月6日 }
      - { id: 整改方案, title: 整改方案, owner: 单位, due: 5月10日 }
      - { id: 整改报告, title: 整改报告, owner: 单位, due: 5月13日 }
      - { id: 复查报告, title: 复查报告, owner: 单位, due: 整改方案后5个工作日内 }
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 办公室, due: 6月30日 }
`;
