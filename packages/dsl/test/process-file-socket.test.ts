import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, NotARegularFile, readProcessFile, readRegularFile, validateProcessPaths } from '@luoshi/dsl';

/*
 * A process file path that names a Unix socket (a service's `campaign.yaml` left listening in a
 * shared folder) is no regular file: docs/reference.md's limits say "a FIFO, a device (/dev/zero)
 * or a socket is refused unread" with DSL_NOT_A_FILE, and `readRegularFile` names the kind
 * `socket`. But a socket cannot even be opened (open(2) fails with ENXIO), so it came out as
 * DSL_FILE_UNREADABLE "ENXIO: no such device or address" — the kind was never reached.
 */

let server: Server;
let socket: string;

beforeAll(async () => {
  socket = join(mkdtempSync(join(tmpdir(), 'luoshi-sock-')), 'campaign.yaml');
  server = createServer();
  await new Promise<void>((done) => server.listen(socket, done));
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

describe('given a process file that is a Unix socket', () => {
  it('when it is read, then it is DSL_NOT_A_FILE saying it is a socket, as a FIFO or a device is', () => {
    const parsed = readProcessFile(socket);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['DSL_NOT_A_FILE']);
    expect(formatDiagnostic(parsed.diagnostics[0]!, 'en')).toBe(
      `${socket}:1:1: error DSL_NOT_A_FILE This is a socket, not an ordinary file: a process file is read only from a regular file (a pipe or a device may never end), so nothing was read`,
    );
    expect(validateProcessPaths([socket]).diagnostics.map((d) => d.code)).toEqual(['DSL_NOT_A_FILE']);
  });

  it('when the shared reader (scenario files too) is given it, then it throws NotARegularFile of kind socket', () => {
    let thrown: unknown;
    try {
      readRegularFile(socket, 1024);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NotARegularFile);
    expect((thrown as NotARegularFile).kind).toBe('socket');
  });

  it('when a path does not exist, then the system error passes as before (ENOENT), not a kind', () => {
    expect(() => readRegularFile(join(tmpdir(), 'luoshi-no-such-file.yaml'), 1024)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
