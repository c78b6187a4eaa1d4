import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A process file that is a FIFO no one writes to (`mkfifo campaign.yaml`): opening it for reading
 * the ordinary way waits for a writer, for ever — `luoshi validate` and `luoshi simulate` hung.
 * The loader answers with a diagnostic at once. Run in a child process with a deadline, since a
 * regression would block the test's own thread for good.
 */

describe('given a process file that is a FIFO with no writer', () => {
  it('when validated, then it comes back with a diagnostic instead of waiting for a writer', () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'luoshi-fifo-')), 'campaign.yaml');
    execFileSync('mkfifo', [fifo]);
    const script = `import { validateProcessPaths } from '@luoshi/dsl'; const r = validateProcessPaths([${JSON.stringify(fifo)}]); process.stdout.write(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).join());`;
    const codes = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../', import.meta.url).pathname, timeout: 20_000 }).toString();
    expect(codes).not.toBe('');
  });
});
