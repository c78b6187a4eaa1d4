/*
 * 周期 — a campaign whose flow repeats every year (issue 18, "Cycles"): "2024年至2026年，每年1月部署，
 * 2至6月自查，11至12月考核，年底排名". Read as written, each unit has per year one 部署 task (due at the
 * end of January), one 自查 report (due 30 June) and one assessment (due 20 December): 3 of each
 * over 2024–2026, and three rankings, each at a year's end on that year's assessment. Shared by the
 * engine's tests, the live ones (SQLite, PostgreSQL) and the simulator's.
 */
export const YEARLY_CYCLE = `
kind: campaign
id: 年度循环
title: 年度循环
source: { title: 测试 }
year: 2024
end: 2026-12-31
cycle: 每年
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考核办, title: 考核办公室, level: office }
phases:
  - id: 部署
    title: 年度部署
    window: 1月
    tasks:
      - { id: 部署会议, title: 召开部署会议, owner: 单位 }
  - id: 自查
    title: 自查自纠
    window: 2月至6月
    tasks:
      - { id: 自查报告, title: 报送自查报告, owner: 单位 }
  - id: 考核
    title: 年度考核
    window: 11月至12月
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 考核办, subject: unit, due: 12月20日 }
rankings:
  - { id: 年度排名, title: 年度排名, subject: unit, at: 年底, weights: { 年度考核: 1 } }
`;

/**
 * 长效机制 with a yearly cycle ("每年部署、自查、考核，常抓不懈"): each year 部署 in January, 自查 from
 * February to October, 考核 in November and December, until the leading group closes it at a
 * 考核 (`机制调整: 终止`, next: end); `继续` goes on as the flow does.
 */
export const STANDING_CYCLE = `
kind: campaign
id: 长效循环
title: 长效机制
source: { title: 测试 }
year: 2024
standing: true
cycle: 每年
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 领导小组, title: 领导小组, level: office }
phases:
  - id: 部署
    title: 年度部署
    window: 1月
    tasks:
      - { id: 部署会议, title: 召开部署会议, owner: 单位 }
  - id: 自查
    title: 自查自纠
    window: 2月至10月
    recurring:
      - { id: 季度报告, title: 每季度报送进展, owner: 单位, every: 每季度 }
  - id: 考核
    title: 年度考核
    window: 11月至12月
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 领导小组, subject: unit, due: 12月20日 }
    decisions:
      - id: 机制调整
        title: 是否终止本机制
        by: 领导小组
        options:
          - { id: 终止, next: end }
rankings:
  - { id: 年度排名, title: 年度排名, subject: unit, at: 年底, weights: { 年度考核: 1 } }
`;
