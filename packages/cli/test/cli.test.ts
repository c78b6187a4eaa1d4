import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));

/** `luoshi <args>` with no locale in the environment unless given. */
const run = (args: string[], env: Record<string, string> = {}) => runLuoshi(args, env);

describe('luoshi validate', () => {
  it('exits 0 on the bundled processes and says so in the language of LANG', async () => {
    const zh = await run(['validate', processesDir], { LANG: 'zh_CN.UTF-8' });
    expect(zh.code).toBe(EXIT.ok);
    expect(zh.stdout).toContain('0 个错误，0 个警告');
    const en = await run(['validate', processesDir], { LANG: 'C' });
    expect(en.stdout).toContain('0 error(s), 0 warning(s)');
  });

  it('exits 1 on a broken copy and prints file:line:column in the chosen language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cli-'));
    cpSync(processesDir, dir, { recursive: true });
    const file = join(dir, '000-sanxing-jiguan.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('due: 10月18日前', 'due: 10月32日前'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('10月32日前')) + 1;
    const { code, stdout } = await run(['validate', dir, '--lang', 'en']);
    expect(code).toBe(EXIT.invalid);
    expect(stdout).toContain(`${file}:${line}:14: error DSL_BAD_DUE`);
    const zh = await run(['validate', file, dir, '--lang', 'zh']);
    expect(zh.stdout).toContain(`${file}:${line}:14: 错误 DSL_BAD_DUE 无法识别截止时间「10月32日前」`);
  });

  it('prints machine-readable diagnostics with --format json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ "kind": "campaign", "id": "x" }');
    const { code, stdout } = await run(['validate', file, '--format', 'json']);
    expect(code).toBe(EXIT.invalid);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toContain('DSL_SCHEMA_MISSING');
    expect(report.diagnostics[0]).toMatchObject({ file, line: 1, column: 1 });
  });

  it('exits 2 on a usage error', async () => {
    expect((await run(['validate'])).code).toBe(EXIT.usage);
    expect((await run(['validate', processesDir, '--format', 'xml'])).code).toBe(EXIT.usage);
    expect((await run(['frobnicate'])).code).toBe(EXIT.usage);
  });
});

describe('luoshi schema and diagram', () => {
  it('prints the committed schema', async () => {
    const { code, stdout } = await run(['schema']);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout).definitions.CampaignDefinition).toBeDefined();
  });

  it('prints a Mermaid diagram with sub-processes resolved beside the file', async () => {
    const { code, stdout } = await run(['diagram', join(processesDir, '000-sanxing-jiguan.yaml')], { LANG: 'zh_CN.UTF-8' });
    expect(code).toBe(EXIT.ok);
    expect(stdout.startsWith('stateDiagram-v2')).toBe(true);
    expect(stdout).toContain('子流程：“五学”活动');
    expect(stdout).toContain('一学理论（科学发展观）');
    // Labels follow --lang: 五学 has an English title (wuxue.yaml), so its label is wholly English.
    const en = await run(['diagram', join(processesDir, '000-sanxing-jiguan.yaml'), '--lang', 'en']);
    expect(en.stdout).toContain('"Sub-process: Five studies"');
    expect(en.stdout).not.toContain('子流程：“五学”活动');
  });

  it('draws the overview by default, one phase in full with --phase, everything with --view full; an unknown phase is CLI_UNKNOWN_PHASE, exit 2', async () => {
    const file = join(processesDir, '002-jiguan-zuofeng.yaml');
    const overview = await run(['diagram', file, '--lang', 'zh']);
    expect(overview.code).toBe(EXIT.ok);
    expect(overview.stdout).toContain('一是自评（4项）');
    expect(overview.stdout).not.toMatch(/^\s*--$/m);
    const full = await run(['diagram', file, '--lang', 'zh', '--view', 'full']);
    expect(full.stdout).toMatch(/^\s*--$/m);
    expect(full.stdout).toContain('评价：群众满意度测评得分');
    const phase = await run(['diagram', file, '--lang', 'zh', '--phase', '巩固提高']);
    expect(phase.code).toBe(EXIT.ok);
    expect(phase.stdout).toContain('巩固提高阶段（12月）');
    expect(phase.stdout).not.toContain('动员部署阶段');
    const unknown = await run(['diagram', file, '--lang', 'en', '--phase', '总结']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('CLI_UNKNOWN_PHASE The process 机关作风建设年 has no phase 总结; its phases are: 动员部署, 组织实施, 巩固提高\n');
    // A terminal escape in the argument is shown, not obeyed.
    const escaped = await run(['diagram', file, '--lang', 'en', '--phase', '\u001b[31m总结\u202e']);
    expect(escaped.code).toBe(EXIT.usage);
    expect(escaped.stderr).toContain('has no phase \\u001b[31m总结\\u202e;');
    expect(escaped.stderr).not.toContain('\u001b');
  });

  it('refuses to draw an invalid file and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cli-'));
    const file = join(dir, 'x.yaml');
    writeFileSync(file, 'kind: campaign\n');
    const { code, stderr } = await run(['diagram', file, '--lang', 'en']);
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toContain('DSL_SCHEMA_MISSING');
  });

  it('shows examples in --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('luoshi validate processes/');
  });
});
