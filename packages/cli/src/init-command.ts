import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processSchemaPath, type Language } from '@luoshi/dsl';
import { scenarioSchemaPath } from '@luoshi/sim';
import { CliError } from './cli-error.js';

/**
 * `luoshi init [dir]` — 初始化工作目录: a starter process file, local copies of the JSON Schemas, and
 * `.vscode/settings.json` mapping `processes/**` and `scenarios/**` YAML to them, so an editor with
 * the YAML language server completes, explains and checks process files in any folder, without the
 * repository's paths. A file that is already there is kept, never overwritten.
 */
export function initCommand(dir: string, lang: Language): string {
  const zh = lang === 'zh';
  const files: [path: string, write: (path: string) => void][] = [
    ['schemas/process.schema.json', (p) => copyFileSync(processSchemaPath, p)],
    ['schemas/scenario.schema.json', (p) => copyFileSync(scenarioSchemaPath, p)],
    ['.vscode/settings.json', (p) => writeFileSync(p, `${JSON.stringify(EDITOR_SETTINGS, null, 2)}\n`)],
    ['.vscode/extensions.json', (p) => writeFileSync(p, `${JSON.stringify({ recommendations: ['redhat.vscode-yaml'] }, null, 2)}\n`)],
    ['processes/starter.yaml', (p) => writeFileSync(p, STARTER)],
  ];
  const lines: string[] = [];
  for (const [path, write] of files) {
    const target = join(dir, path);
    if (existsSync(target)) {
      lines.push(`${zh ? '已存在，保留' : 'kept (already there)'} ${path}`);
      continue;
    }
    try {
      mkdirSync(dirname(target), { recursive: true });
      write(target);
    } catch (error) {
      throw new CliError('CLI_INIT_UNWRITABLE', { file: target, detail: (error as Error).message }, { cause: error });
    }
    lines.push(`${zh ? '已写入' : 'wrote'} ${path}`);
  }
  const shown = join(dir, 'processes');
  lines.push(zh ? `下一步：luoshi validate ${shown}` : `next: luoshi validate ${shown}`);
  return `${lines.join('\n')}\n`;
}

/** The YAML language server's schema mapping, relative to the folder opened in the editor. */
const EDITOR_SETTINGS = {
  'yaml.schemas': {
    './schemas/process.schema.json': ['processes/*.yaml', 'processes/**/*.yaml', 'processes/*.yml', 'processes/**/*.yml'],
    './schemas/scenario.schema.json': ['scenarios/*.yaml', 'scenarios/**/*.yaml'],
  },
  'yaml.completion': true,
  'yaml.hover': true,
  'yaml.validate': true,
} as const;

/** A campaign small enough to read at once, valid as written: two phases with a task each. */
const STARTER = `# yaml-language-server: $schema=../schemas/process.schema.json
# A starter campaign 起步示例: edit it, then \`luoshi validate processes/\`.
# The editor completes and explains keys through schemas/process.schema.json (.vscode/settings.json).
kind: campaign              # 活动；子流程写 subprocess
id: 示例活动                 # 标识：不含空格、点和斜杠
version: 1                  # 修改后加 1；已开始的活动继续用旧版本
title: 示例活动
source:
  title: 关于开展示例活动的实施方案
year: 2026                  # “4月10日”这类日期都落在这一年
end: 2026-06-30
subjects: [unit]
roles:
  - { id: 活动办, title: 活动领导小组办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 动员部署
    title: 动员部署
    window: 4月
    tasks:
      - { id: 实施方案, title: 制定实施方案, owner: 单位, due: 4月10日 }
  - id: 组织实施
    title: 组织实施
    window: 5月至6月
    tasks:
      - { id: 工作总结, title: 报送工作总结, owner: 单位, due: 6月20日 }
`;
