import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, readProcessFile, validateProcessPaths } from '@luoshi/dsl';

/*
 * A process file path that names no regular file — a FIFO (`mkfifo campaign.yaml`), a device
 * (`zero.yaml` linked to /dev/zero) — is refused before a byte is read with DSL_NOT_A_FILE, as the
 * simulator refuses such scenario files (one reader, `readRegularFile`). Read as before, a FIFO with
 * no writer gave an empty document (DSL_NOT_A_MAPPING: "the file is not a mapping", which says
 * nothing of the real cause) and a device a "file too large" after reading a megabyte of it.
 * FIFOs are opened in a child process with a deadline: a regression would block this thread.
 */

const dsl = new URL('../', import.meta.url).pathname;
const dir = () => mkdtempSync(join(tmpdir(), 'luoshi-not-regular-'));

/** The error codes and English messages `validateProcessPaths` gives for `paths`, in a child process. */
function validatedApart(paths: readonly string[]): string {
  const script = `import { validateProcessPaths, formatDiagnostic } from '@luoshi/dsl'; const r = validateProcessPaths(${JSON.stringify(paths)}); process.stdout.write(r.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, 'en')).join('\\n'));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dsl, timeout: 20_000 }).toString();
}

describe('given a process file that is a FIFO with no writer', () => {
  it('when it is named, then it is DSL_NOT_A_FILE at once, saying it is a FIFO and nothing was read', () => {
    const fifo = join(dir(), 'campaign.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(validatedApart([fifo])).toBe(`${fifo}:1:1: error DSL_NOT_A_FILE This is a FIFO (named pipe), not an ordinary file: a process file is read only from a regular file (a pipe or a device may never end), so nothing was read`);
  });

  it('when it lies in a folder that is validated, then it is DSL_NOT_A_FILE too, not an empty campaign', () => {
    const folder = dir();
    execFileSync('mkfifo', [join(folder, 'campaign.yaml')]);
    expect(validatedApart([folder])).toMatch(/campaign\.yaml:1:1: error DSL_NOT_A_FILE This is a FIFO/);
  });

  it('when `luoshi validate` is given it, then it prints the code and exits 1 (invalid input), in Chinese too', () => {
    const fifo = join(dir(), 'campaign.yaml');
    execFileSync('mkfifo', [fifo]);
    const bin = new URL('../../cli/bin/luoshi.js', import.meta.url).pathname;
    const run = spawnSync(process.execPath, [bin, 'validate', fifo, '--lang', 'zh'], { timeout: 20_000, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain('DSL_NOT_A_FILE 这是命名管道（FIFO），不是普通文件：过程文件只从普通文件读取（管道或设备可能永不结束），未读取任何内容');
  });
});

describe('given a process file that is a device', () => {
  it('when zero.yaml links to /dev/zero, then it is DSL_NOT_A_FILE naming a device, not DSL_FILE_TOO_LARGE after reading it', () => {
    const folder = dir();
    const zero = join(folder, 'zero.yaml');
    symlinkSync('/dev/zero', zero);
    const parsed = readProcessFile(zero);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['DSL_NOT_A_FILE']);
    expect(formatDiagnostic(parsed.diagnostics[0]!, 'en')).toContain('This is a device, not an ordinary file');
    expect(validateProcessPaths([zero]).diagnostics.map((d) => d.code)).toEqual(['DSL_NOT_A_FILE']);
  });

  it('when a folder is named where a file is read, then the folder is walked as before (a directory is never read as a file)', () => {
    const folder = dir();
    mkdirSync(join(folder, 'inner.yaml'));
    expect(validateProcessPaths([folder]).diagnostics).toEqual([]);
    expect(readProcessFile(join(folder, 'inner.yaml')).diagnostics.map((d) => d.code)).toEqual(['DSL_NOT_A_FILE']);
  });
});
