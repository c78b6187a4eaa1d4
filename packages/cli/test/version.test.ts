import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';

describe('luoshi --version', () => {
  it('prints the version of the @luoshi/cli package and exits 0', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      let stdout = '';
      const code = await runCli([flag], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {} });
      expect(code).toBe(EXIT.ok);
      expect(stdout).toBe(`${manifest.version}\n`);
    }
  });
});
