import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run, shrunkScenario } from '../../../test/support/run-luoshi.js';

/*
 * `luoshi simulate --from` and `luoshi scenario fit` given a database they did not expect: not
 * Luoshi's, written by a newer release, damaged row by row, or named by a URL that does not parse.
 * Every one gets a coded answer (never CLI_UNEXPECTED), no password in it, and the file is left
 * byte for byte as it was.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const campaign = join(repo, 'processes/000-sanxing-jiguan.yaml');

let dir: string;
let live: string;
let scenario: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luoshi-hostile-from-'));
  live = join(dir, 'live.sqlite');
  scenario = shrunkScenario(dir, '000-baseline', 4, 2);
  const kept = await run(['simulate', campaign, '--scenario', scenario, '--db', live, '--until', '2011-11-01']);
  if (kept.code !== EXIT.ok) throw new Error(kept.stderr);
}, 60_000);

/** A copy of the live database with `sql` applied to it. */
function damaged(name: string, sql: string): string {
  const file = join(dir, `${name}.sqlite`);
  copyFileSync(live, file);
  const db = new Database(file);
  db.exec(sql);
  db.pragma('journal_mode = DELETE');
  db.close();
  return file;
}

/** Both commands that read a live database, on `from`. */
async function bothReads(from: string, campaignId = 'sim') {
  return [
    await run(['simulate', '--from', from, '--campaign', campaignId, '--scenario', scenario, '--threads', '1']),
    await run(['scenario', 'fit', '--from', from, '--campaign', campaignId]),
  ];
}

describe('given a database that is not a Luoshi database at this release', () => {
  it('when it is a SQLite file of someone else\'s or an empty file, then both reads are CLI_DATABASE_NOT_READY (exit 2), not CLI_UNEXPECTED, and the file is unchanged', async () => {
    const foreign = join(dir, 'foreign.sqlite');
    const db = new Database(foreign);
    db.exec('create table campaigns_of_mine (id text)');
    db.close();
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    for (const file of [foreign, empty]) {
      const bytes = readFileSync(file);
      for (const outcome of await bothReads(file)) {
        expect(outcome.stderr, file).toMatch(/^CLI_DATABASE_NOT_READY /);
        expect(outcome.code).toBe(EXIT.usage);
      }
      expect(Buffer.compare(readFileSync(file), bytes), file).toBe(0);
    }
  });

  it('when a newer release has migrated it (a migration this one does not know), then both reads and luoshi status are CLI_DATABASE_NEWER (exit 2) naming it', async () => {
    const newer = damaged('newer', "insert into luoshi_migration values ('099_from_the_future', '2030-01-01T00:00:00.000Z')");
    for (const outcome of [...(await bothReads(newer)), await run(['status', 'sim', '--db', newer])]) {
      expect(outcome.stderr).toMatch(/^CLI_DATABASE_NEWER .*099_from_the_future/);
      expect(outcome.code).toBe(EXIT.usage);
    }
  });
});

describe('given a Luoshi database damaged in one row', () => {
  const cases: [string, string][] = [
    ['a snapshot that is not JSON', "update instances set snapshot = '{not json' where unit_id = 'u01'"],
    ['a history state that is not JSON', "update history set state = '{bad' where instance_id = 'sim/u01'"],
    ['an organisation that is not JSON', "update campaigns set organisation = '[1'"],
    ['a definition that is not a process bundle', "update definitions set body = '{}'"],
    ['a definition that is not JSON', "update definitions set body = '{x'"],
    ['a campaign clock past the end of time', 'update campaign_clocks set now = 9000000000000000000'],
  ];
  for (const [what, sql] of cases) {
    it(`when it holds ${what}, then both reads are SIM_LIVE_DAMAGED (exit 1) and the file is unchanged`, async () => {
      const file = damaged(what.replace(/\W+/g, '-'), sql);
      const bytes = readFileSync(file);
      for (const outcome of await bothReads(file)) {
        expect(outcome.stderr).toMatch(/^SIM_LIVE_DAMAGED the campaign "sim" cannot be read from the database: /);
        expect(outcome.code).toBe(EXIT.invalid);
      }
      expect(Buffer.compare(readFileSync(file), bytes)).toBe(0);
    });
  }

  it('when it holds a host event that is not JSON, then scenario fit, which reads events, is SIM_LIVE_DAMAGED naming the entry; simulate --from, which counts them by type, goes on', async () => {
    const file = damaged('host-event', "update history set event = '{bad' where instance_id = 'sim/u01' and cause = 'host'");
    const [simulated, fitted] = await bothReads(file);
    expect(simulated?.code).toBe(EXIT.ok);
    expect(fitted?.stderr).toMatch(/^SIM_LIVE_DAMAGED the campaign "sim" cannot be read from the database: (the event of )?sim\/u01's history( entry \d+)? is damaged/);
    expect(fitted?.code).toBe(EXIT.invalid);
  });

  it('when a campaign id holds quotes, SQL or prototype keys, then it is simply not found; an escape sequence is shown as \\u escapes, not sent to the terminal', async () => {
    for (const id of ["x' OR '1'='1", '__proto__', 'constructor', 'sim"; drop table campaigns; --']) {
      for (const outcome of await bothReads(live, id)) {
        expect(outcome.stderr, id).toMatch(/^SIM_CAMPAIGN_NOT_FOUND /);
        expect(outcome.code).toBe(EXIT.invalid);
      }
    }
    for (const outcome of await bothReads(live, '\u001b]0;owned\u0007\u202e')) {
      expect(outcome.stderr).toContain('\\u001b]0;owned\\u0007\\u202e');
      expect(outcome.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    }
  });
});

describe('given a PostgreSQL URL that does not parse', () => {
  it('when its port or host is malformed, then it is CLI_BAD_DATABASE_URL (exit 2) and the password is in no message', async () => {
    for (const url of ['postgres://alice:Sekr1tPw@127.0.0.1:99999/db', 'postgres://alice:Sekr1tPw@[::1/db', 'postgresql://alice:Sekr1tPw@host:port/db']) {
      for (const outcome of await bothReads(url)) {
        expect(outcome.stderr, url).toMatch(/^CLI_BAD_DATABASE_URL /);
        expect(outcome.stderr).not.toContain('Sekr1tPw');
        expect(outcome.code).toBe(EXIT.usage);
      }
    }
  });
});

describe('given --until before, at, past or beyond where the campaign can stand', () => {
  it('when --until is before or at the cut, it is SIM_UNTIL_PASSED (exit 1); outside the years 1–9999 or not a time, CLI_BAD_TIME (exit 2); in 9999, the run ends with the campaign', async () => {
    const from = ['simulate', '--from', live, '--campaign', 'sim', '--scenario', scenario, '--threads', '1', '--until'];
    for (const until of ['1900-01-01', '2011-11-01']) {
      const outcome = await run([...from, until]);
      expect(outcome.stderr, until).toMatch(/^SIM_UNTIL_PASSED /);
      expect(outcome.code).toBe(EXIT.invalid);
    }
    for (const until of ['275760-01-01', '0000-01-01', '2011-13-01', '1e9', '2011-11-02T25:00']) {
      const outcome = await run([...from, until]);
      expect(outcome.stderr, until).toMatch(/^CLI_BAD_TIME /);
      expect(outcome.code).toBe(EXIT.usage);
    }
    const far = await run([...from, '9999-12-31', '--format', 'json']);
    expect(far.code).toBe(EXIT.ok);
    expect((JSON.parse(far.stdout) as { period: { end: string } }).period.end).toMatch(/^2011-/);
  });
});

describe('given the live file itself', () => {
  it('when both reads are done, then no -journal is left and the file is byte for byte as it was', async () => {
    const copy = damaged('untouched', 'select 1');
    const bytes = readFileSync(copy);
    for (const outcome of await bothReads(copy)) expect(outcome.code).toBe(EXIT.ok);
    expect(Buffer.compare(readFileSync(copy), bytes)).toBe(0);
    expect(existsSync(`${copy}-journal`)).toBe(false);
  });
});
