import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';
import type { ProgressTerminal } from '../src/simulation-progress.js';
import { root } from '../../../test/support/campaign-harness.js';
import { shrunkScenario } from '../../../test/support/run-luoshi.js';

const campaign = join(root, 'processes/000-sanxing-jiguan.yaml');

/** A stand-in for a terminal (or, with `tty` false, a pipe) that keeps what is drawn on it. */
function terminal(tty: boolean): ProgressTerminal & { readonly text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: tty, columns: 120, text: () => chunks.join('') });
}

const smallScenario = () => shrunkScenario(mkdtempSync(join(tmpdir(), 'luoshi-sim-progress-')), '000-lax', 6, 2);

async function simulate(args: string[], progress: ProgressTerminal, lang = 'C') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['simulate', campaign, '--scenario', smallScenario(), ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { LANG: lang }, progress });
  return { code, stdout, stderr };
}

describe('given luoshi simulate on a terminal', () => {
  it('when one run goes through the year, then a bar of the year is drawn from 0% to 100% beside the summary', async () => {
    const tty = terminal(true);
    const { code, stdout, stderr } = await simulate(['--runs', '1'], tty);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe('');
    expect(stdout).toContain('1 run');
    const drawn = tty.text();
    const frames = drawn.match(/simulating the year \[[^\]]*\] \d+%/g) ?? [];
    expect(frames[0]).toMatch(/ 0%$/);
    expect(frames.at(-1)).toMatch(/ 100%$/);
    expect(drawn.endsWith('\n')).toBe(true);
    expect(stdout).not.toContain('simulating');
  });

  it('when several runs go on two workers, then the bar counts runs done, in Chinese under a Chinese locale', async () => {
    const tty = terminal(true);
    const { code } = await simulate(['--runs', '3', '--threads', '2'], tty, 'zh_CN.UTF-8');
    expect(code).toBe(EXIT.ok);
    const frames = tty.text().match(/模拟 \[[^\]]*\] \d+% \| 已完成 \d\/3 次/g) ?? [];
    expect(frames.at(-1)).toMatch(/100% \| 已完成 3\/3 次$/);
  });

  it('when the output is not a terminal, then nothing is drawn and the summary is the same', async () => {
    const pipe = terminal(false);
    const tty = terminal(true);
    const piped = await simulate(['--runs', '1', '--seed', '4'], pipe);
    const drawn = await simulate(['--runs', '1', '--seed', '4'], tty);
    expect(pipe.text()).toBe('');
    expect(piped.stdout).toBe(drawn.stdout);
  });
});
