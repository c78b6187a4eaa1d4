import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processSchemaPath } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run } from '../../../test/support/run-luoshi.js';

describe('luoshi init', () => {
  it('writes a starter that validates clean, the schemas, and editor settings mapping processes/ to the local schema', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'luoshi-init-')), 'campaigns');
    const init = await run(['init', dir]);
    expect(init.code).toBe(EXIT.ok);
    expect(readFileSync(join(dir, 'schemas', 'process.schema.json'), 'utf8')).toBe(readFileSync(processSchemaPath, 'utf8'));
    const settings = JSON.parse(readFileSync(join(dir, '.vscode', 'settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
    expect(settings['yaml.schemas']['./schemas/process.schema.json']).toContain('processes/**/*.yaml');
    expect(readFileSync(join(dir, 'processes', 'starter.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/process.schema.json');
    // The starter runs as written: no error and no warning.
    const validated = await run(['validate', join(dir, 'processes')]);
    expect(validated.stdout).toContain('1 file(s) checked: 0 error(s), 0 warning(s)');
    expect(validated.code).toBe(EXIT.ok);
  });

  it('keeps a file that is already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-init-'));
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.vscode', 'settings.json'), '{"editor.tabSize": 2}\n');
    const init = await run(['init', dir]);
    expect(init.code).toBe(EXIT.ok);
    expect(init.stdout).toContain('kept (already there) .vscode/settings.json');
    expect(readFileSync(join(dir, '.vscode', 'settings.json'), 'utf8')).toBe('{"editor.tabSize": 2}\n');
  });

  it('answers CLI_INIT_UNWRITABLE with exit 1 when the folder cannot be made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-init-'));
    writeFileSync(join(dir, 'file'), 'not a folder');
    const init = await run(['init', join(dir, 'file')]);
    expect(init.code).toBe(EXIT.invalid);
    expect(init.stderr).toMatch(/^CLI_INIT_UNWRITABLE /);
  });
});
