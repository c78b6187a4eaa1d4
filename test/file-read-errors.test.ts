import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTooLarge, LuoshiError, NotARegularFile, readRegularFile } from '@luoshi/dsl';
import { loadScenarioFile } from '@luoshi/sim';
import { EXIT, exitCodeOf } from '../packages/cli/src/run-cli.js';
import { loadUsersFile } from '../packages/cli/src/users-file.js';
import { runLuoshi } from './support/run-luoshi.js';

/*
 * 读取文件: the shared reader of outside files (`readRegularFile`) refuses a path that is no regular
 * file or a file over its limit with coded errors — DSL_NOT_A_FILE and DSL_FILE_TOO_LARGE, the codes
 * the validator's diagnostics of a process file already carry — in both languages; every command
 * that reads such a file says so with its own code and exit 2, as for any file it cannot read.
 * FIFOs are read in a child process where a regression would block (a FIFO opened without
 * O_NONBLOCK waits for a writer).
 */

const dir = () => mkdtempSync(join(tmpdir(), 'luoshi-file-read-'));
const luoshi = new URL('../packages/cli/bin/luoshi.js', import.meta.url).pathname;

function fifoIn(folder: string, name: string): string {
  const path = join(folder, name);
  execFileSync('mkfifo', [path]);
  return path;
}

function thrownBy(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to throw');
}

describe('the shared reader’s refusals', () => {
  it('when the path is a FIFO, then NotARegularFile is a LuoshiError coded DSL_NOT_A_FILE, naming the path and the kind in English and Chinese', () => {
    const fifo = fifoIn(dir(), 'org.json');
    const error = thrownBy(() => readRegularFile(fifo, 10));
    expect(error).toBeInstanceOf(NotARegularFile);
    expect(error).toBeInstanceOf(LuoshiError);
    const coded = error as NotARegularFile;
    expect(coded.code).toBe('DSL_NOT_A_FILE');
    expect(coded.kind).toBe('FIFO');
    expect(coded.localized('en')).toBe(`${fifo} is a FIFO (named pipe), not an ordinary file: only a regular file is read (a pipe or a device may never end), so nothing was read`);
    expect(coded.localized('zh')).toBe(`${fifo} 是命名管道（FIFO），不是普通文件：只从普通文件读取（管道或设备可能永不结束），未读取任何内容`);
    expect(coded.details).toMatchObject({ file: fifo, what: 'a FIFO (named pipe)' });
  });

  it('when the file has 11 bytes and the limit is 10, then FileTooLarge is coded DSL_FILE_TOO_LARGE with the size and the limit', () => {
    const file = join(dir(), 'eleven.json');
    writeFileSync(file, '01234567890');
    const error = thrownBy(() => readRegularFile(file, 10));
    expect(error).toBeInstanceOf(FileTooLarge);
    const coded = error as FileTooLarge;
    expect(coded.code).toBe('DSL_FILE_TOO_LARGE');
    expect([coded.size, coded.limit]).toEqual([11, 10]);
    expect(coded.localized('en')).toBe(`${file} has 11 bytes; at most 10 bytes are read from it, so nothing was read`);
    expect(coded.localized('zh')).toBe(`${file} 有 11 字节，最多读取 10 字节，未读取任何内容`);
  });

  it('when one of them reaches the command line unwrapped, then it exits 2, as an unreadable input file does', () => {
    expect(exitCodeOf(new NotARegularFile('/tmp/x', 'device'))).toBe(EXIT.usage);
    expect(exitCodeOf(new FileTooLarge('/tmp/x', 11, 10))).toBe(EXIT.usage);
  });
});

describe('a command given such a file', () => {
  it('when `luoshi start --org` names a FIFO, then CLI_FILE_UNREADABLE says it is a FIFO, exit 2, in English and Chinese', async () => {
    const folder = dir();
    const fifo = fifoIn(folder, 'org.json');
    const db = join(folder, 'live.sqlite');
    expect(await runLuoshi(['start', '任意', '--org', fifo, '--db', db])).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: `CLI_FILE_UNREADABLE Cannot read the organisation file ${fifo}: it is a FIFO (named pipe), not an ordinary file, so nothing was read\n`,
    });
    const zh = await runLuoshi(['start', '任意', '--org', fifo, '--db', db, '--lang', 'zh']);
    expect(zh.stderr).toBe(`CLI_FILE_UNREADABLE 无法读取组织文件 ${fifo}：它是命名管道（FIFO），不是普通文件，未读取任何内容\n`);
  });

  it('when the users file of `luoshi serve` is a directory, then CLI_USERS_FILE_UNREADABLE says so in Chinese too', () => {
    const folder = join(dir(), 'users.json');
    mkdirSync(folder);
    const error = thrownBy(() => loadUsersFile(folder)) as LuoshiError;
    expect(error.code).toBe('CLI_USERS_FILE_UNREADABLE');
    expect(error.localized('en')).toBe(`Cannot read the users file ${folder}: it is a directory, not an ordinary file, so nothing was read`);
    expect(error.localized('zh')).toBe(`无法读取用户文件 ${folder}：它是目录，不是普通文件，未读取任何内容`);
  });

  it('when LUOSHI_CONFIG names a FIFO, then every command answers CLI_CONFIG_INVALID at once (exit 2) instead of waiting for a writer', () => {
    const fifo = fifoIn(dir(), 'config.json');
    const run = spawnSync(process.execPath, [luoshi, 'schema'], { env: { PATH: process.env.PATH ?? '', LANG: 'C', LUOSHI_CONFIG: fifo }, timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(EXIT.usage);
    expect(run.stderr.toString()).toBe(`CLI_CONFIG_INVALID The configuration file ${fifo} cannot be used: it is a FIFO (named pipe), not an ordinary file, so nothing was read\n`);
  });

  it('when a scenario file is a FIFO, then SIM_FILE_UNREADABLE says it is one in the Chinese message too', () => {
    const fifo = fifoIn(dir(), 'scenario.yaml');
    const script = `import { loadScenarioFile } from '@luoshi/sim'; process.stdout.write(JSON.stringify(loadScenarioFile(${JSON.stringify(fifo)}).diagnostics.map((d) => [d.code, d.message.zh])));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../packages/sim/', import.meta.url).pathname, timeout: 20_000 }).toString();
    expect(JSON.parse(out)).toEqual([['SIM_FILE_UNREADABLE', `无法读取文件：${fifo} 是命名管道（FIFO），不是普通文件：只从普通文件读取（管道或设备可能永不结束），未读取任何内容`]]);
    // The same refusal in this process, for a directory (it cannot block).
    expect(loadScenarioFile(dir()).diagnostics.map((d) => d.code)).toEqual(['SIM_FILE_UNREADABLE']);
  });
});
