/*
 * Side-by-side comparison with an earlier release: builds `--base <git ref>` in a temporary git
 * worktree, then runs the headline measurements of the head and of the base alternately in one run
 * (head, base, head, base, …; each in a fresh process), so load on this shared machine that comes
 * and goes weighs on both sides alike. Each side's figure is the median of its repetitions. The last
 * line printed is one JSON object:
 *   { "base": "<ref>", "head": "<sha>", "ratios": { "durableEventsPerSec": …, "lifecyclesPerSec": …,
 *     "simYearEventsPerSec": …, "monteCarloRunsPerSec": … } }
 * with each ratio = head / base (higher is better).
 *
 *   npm run bench:compare -- --base 7967bde [--reps 3] [--quick] [--keep] [--only lifecycles]
 *
 * Both sides run the head's measuring code (bench/lib/headline-child.ts and what it imports, copied
 * into the base worktree), which uses only the packages' public API, so the code measured differs
 * and the measuring does not. node_modules is copied from the head when the lockfiles agree, else
 * installed with `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    reps: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // One metric's ratio alone (durable, lifecycles, simYear, monteCarlo), to look again at one that moved.
    only: { type: 'string' },
  },
});
if (values.base === undefined) {
  process.stderr.write('usage: npm run bench:compare -- --base <git ref> [--reps N] [--quick] [--keep] [--only <metric>]\n');
  process.exit(2);
}
const baseRef = values.base;
const reps = Math.max(1, Number(values.reps));
const head = fileURLToPath(new URL('../', import.meta.url));
const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const git = (...args: string[]): string => execFileSync('git', args, { cwd: head, encoding: 'utf8' }).trim();

/** The measurements compared, by the name of their ratio, with the child's metric and unit. */
const METRICS = [
  { ratio: 'durableEventsPerSec', metric: 'durable', unit: 'durable events/s (SQLite)' },
  { ratio: 'lifecyclesPerSec', metric: 'lifecycles', unit: 'lifecycles/s (SQLite)' },
  { ratio: 'simYearEventsPerSec', metric: 'simYear', unit: 'host events/s, one simulated year, 1,000 × 30' },
  { ratio: 'monteCarloRunsPerSec', metric: 'monteCarlo', unit: 'Monte Carlo runs/s, 73 units, 2 threads' },
] as const;

/** Files of the measuring code the base worktree gets from the head. */
const MEASURING = ['headline-child.ts', 'durable.ts', 'lifecycle.ts', 'seed-campaign.ts', 'stats.ts'];

const headSha = git('rev-parse', 'HEAD');
const baseSha = git('rev-parse', '--verify', `${baseRef}^{commit}`);
const cpu = cpus();
log(`Luoshi bench:compare — head ${headSha.slice(0, 10)} against base ${baseRef} (${baseSha.slice(0, 10)}), node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model ?? '?'})`);

const work = mkdtempSync(join(tmpdir(), 'luoshi-compare-'));
const baseDir = join(work, 'base');
try {
  log(`Building the base in ${baseDir} …`);
  git('worktree', 'add', '--detach', baseDir, baseSha);
  const sameLock = existsSync(join(baseDir, 'package-lock.json')) && readFileSync(join(baseDir, 'package-lock.json'), 'utf8') === readFileSync(join(head, 'package-lock.json'), 'utf8');
  if (sameLock) cpSync(join(head, 'node_modules'), join(baseDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: baseDir, stdio: 'inherit' });
  execFileSync('npx', ['tsc', '-b'], { cwd: baseDir, stdio: 'inherit' });
  for (const file of MEASURING) copyFileSync(join(head, 'bench/lib', file), join(baseDir, 'bench/lib', file));
  log(`Building the head …`);
  execFileSync('npx', ['tsc', '-b'], { cwd: head, stdio: 'inherit' });

  const measure = (root: string, metric: string): number => {
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', join(root, 'bench/lib/headline-child.ts'), '--metric', metric, ...(values.quick ? ['--quick'] : [])], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    return (JSON.parse(out.trim().split('\n').pop() ?? '') as { value: number }).value;
  };
  const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };

  const ratios: Record<string, number> = {};
  log();
  for (const { ratio, metric, unit } of METRICS.filter((m) => values.only === undefined || m.metric === values.only)) {
    const sides = { head: [] as number[], base: [] as number[] };
    for (let rep = 0; rep < reps; rep++) {
      // The side that goes first alternates too, so neither always meets a warmer machine.
      const order = rep % 2 === 0 ? (['head', 'base'] as const) : (['base', 'head'] as const);
      for (const side of order) sides[side].push(measure(side === 'head' ? head : baseDir, metric));
    }
    const h = median(sides.head);
    const b = median(sides.base);
    ratios[ratio] = round(h / b, 3);
    const list = (xs: number[]) => xs.map((x) => round(x, 1)).join(', ');
    log(`${unit}`);
    log(`  head ${round(h, 1)} (${list(sides.head)})   base ${round(b, 1)} (${list(sides.base)})   ratio ${ratios[ratio]}`);
  }
  log();
  log(JSON.stringify({ base: baseRef, head: headSha, ratios }));
} finally {
  if (!values.keep) {
    try {
      git('worktree', 'remove', '--force', baseDir);
    } catch {
      // Already gone, or never made: the directory is removed below either way.
    }
    rmSync(work, { recursive: true, force: true });
  }
}
