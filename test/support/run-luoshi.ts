import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { EXIT, runCli } from '../../packages/cli/src/run-cli.js';
import { root } from './campaign-harness.js';

/*
 * The `luoshi` command run in-process, as the CLI tests drive it: its exit code and what it wrote to
 * stdout and stderr, and a campaign kept in a SQLite file on a rehearsal clock, moved step by step.
 */

/** What one `luoshi` command did. */
export interface LuoshiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `luoshi <args>` in this process with `env` as its environment (by default `LANG=C`: no locale,
 * so English unless `--lang` says otherwise) and `stop` for `worker` and `serve`.
 */
export async function runLuoshi(args: readonly string[], env: Record<string, string> = { LANG: 'C' }, stop?: AbortSignal): Promise<LuoshiRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, ...(stop ? { stop } : {}) });
  return { code, stdout, stderr };
}

/** A campaign file and an organisation in a fresh folder, and the SQLite file beside them. */
export interface RehearsedCampaign {
  readonly dir: string;
  readonly db: string;
  readonly campaignFile: string;
  readonly orgFile: string;
  /**
   * `luoshi <args> --db <db>` at the Shanghai time `now`: `deploy` as it is, `start` with `--now`,
   * anything else after moving campaign `c`'s rehearsal clock to `now` (which must succeed).
   */
  at(now: string, ...args: string[]): Promise<LuoshiRun>;
}

/** Writes `campaign` and `organisation` to a fresh folder named `prefix…`, for commands on a SQLite file. */
export function rehearsedCampaign(prefix: string, campaign: string, organisation: unknown): RehearsedCampaign {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, 'live.sqlite');
  const campaignFile = join(dir, 'campaign.yaml');
  writeFileSync(campaignFile, campaign);
  const orgFile = join(dir, 'org.json');
  writeFileSync(orgFile, JSON.stringify(organisation));
  return {
    dir,
    db,
    campaignFile,
    orgFile,
    async at(now, ...args) {
      if (args[0] === 'deploy') return runLuoshi([...args, '--db', db]);
      if (args[0] === 'start') return runLuoshi([...args, '--db', db, '--now', now]);
      expect((await runLuoshi(['clock', 'c', '--set', now, '--db', db])).code).toBe(EXIT.ok);
      return runLuoshi([...args, '--db', db]);
    },
  };
}

/**
 * A shipped scenario (`examples/scenarios/<name>.yaml`) on fewer units and members, so a run is quick:
 * written to `dir` under its own name, with its schema reference made absolute.
 */
export function shrunkScenario(dir: string, name: string, units: number, membersPerUnit: number): string {
  const text = readFileSync(join(root, `examples/scenarios/${name}.yaml`), 'utf8');
  const shrunk = text.replace(/^( {2}units:) \d+$/m, `$1 ${units}`).replace(/^( {2}membersPerUnit:) \d+$/m, `$1 ${membersPerUnit}`);
  if (!/^ {2}units: \d+\n {2}membersPerUnit: \d+$/m.test(text)) throw new Error(`${name}.yaml has no organisation of units and members to shrink`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, shrunk.replace('$schema=../../packages', `$schema=${root}packages`));
  return file;
}
