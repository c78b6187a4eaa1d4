// Packages that install anywhere: packs every workspace package with `npm pack`, installs the
// tarballs alone into a fresh app in a temp directory (outside the repository, so nothing resolves
// through the workspace links), type-checks a strict consumer with `skipLibCheck: false` under
// `module: nodenext` and under `moduleResolution: bundler`, runs the embedding example compiled from
// examples/embed-sqlite.ts, and `npx luoshi --version`. better-sqlite3's own install script (a
// download, else a build from source: minutes on a loaded machine) is not what is under test: the
// install skips scripts and takes the binary the repository's `npm ci` built for this Node when the
// app got the same better-sqlite3 version, and rebuilds it otherwise.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const packages = ['dsl', 'engine', 'store-kysely', 'http', 'sim', 'cli'] as const;
const manifest = (p: string) => JSON.parse(readFileSync(join(repo, 'packages', p, 'package.json'), 'utf8')) as Record<string, unknown>;

/** The child npm must not inherit `npm test`'s own npm_* settings (workspace, prefix, package). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return env;
}

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    // What the command printed is the diagnosis (tsc's errors go to stdout): keep it in the failure.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${String(stdout).slice(0, 4000)}\n${String(stderr).slice(0, 4000)}`);
  }
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

const work = mkdtempSync(join(tmpdir(), 'luoshi-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed packages install and type-check outside the repository', () => {
  it('packs, installs from the tarballs alone, compiles a strict consumer, runs the embedding example and luoshi --version', () => {
    // 1. Pack. Every tarball carries its README, LICENSE, dist and the src its source maps name.
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs, ...packages.flatMap((p) => ['-w', `packages/${p}`])], repo)) as {
      name: string;
      filename: string;
      files: { path: string }[];
    }[];
    expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => `@luoshi/${p}`).sort());
    for (const p of packed) {
      const paths = new Set(p.files.map((f) => f.path));
      expect([...['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']].filter((f) => !paths.has(f)), p.name).toEqual([]);
    }
    for (const p of packages) {
      const m = manifest(p);
      expect(m.types, p).toBe('./dist/index.d.ts');
      expect(m.engines, p).toEqual({ node: '>=20' });
      expect(m.repository, p).toMatchObject({ type: 'git', directory: `packages/${p}` });
    }

    // 2. A fresh app outside the repository installs the tarballs (siblings resolve among them) and
    // @types/node for its own code; nothing else of the repository is visible from there.
    const app = join(work, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'luoshi-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...packed.map((p) => join(tarballs, p.filename)), '@types/node@^20'], app);
    const sqlite = (dir: string) => join(dir, 'node_modules', 'better-sqlite3');
    const version = (dir: string) => (JSON.parse(readFileSync(join(sqlite(dir), 'package.json'), 'utf8')) as { version: string }).version;
    const built = join(sqlite(repo), 'build', 'Release', 'better_sqlite3.node');
    if (existsSync(built) && version(repo) === version(app)) {
      mkdirSync(join(sqlite(app), 'build', 'Release'), { recursive: true });
      cpSync(built, join(sqlite(app), 'build', 'Release', 'better_sqlite3.node'));
    } else run('npm', ['rebuild', 'better-sqlite3'], app);
    for (const p of packages) expect(existsSync(join(app, 'node_modules', '@luoshi', p, 'dist', 'index.js')), p).toBe(true);

    // Every source map and declaration map resolves to a shipped file.
    const unresolved: string[] = [];
    for (const p of packages) {
      const root = join(app, 'node_modules', '@luoshi', p, 'dist');
      for (const map of filesUnder(root, '.map')) {
        const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
        for (const s of sources) if (!existsSync(resolve(dirname(map), s))) unresolved.push(`${map} → ${s}`);
      }
    }
    expect(unresolved).toEqual([]);

    // 3. A strict consumer: the embedding example, plus every package's public types.
    cpSync(join(repo, 'examples', 'embed-sqlite.ts'), join(app, 'src', 'embed-sqlite.ts'));
    cpSync(join(repo, 'processes'), join(app, 'processes'), { recursive: true });
    writeFileSync(
      join(app, 'src', 'all-packages.ts'),
      [
        "import * as dsl from '@luoshi/dsl';",
        "import * as engine from '@luoshi/engine';",
        "import * as store from '@luoshi/store-kysely';",
        "import * as http from '@luoshi/http';",
        "import * as sim from '@luoshi/sim';",
        "import * as cli from '@luoshi/cli';",
        "import type { ProcessFile } from '@luoshi/dsl';",
        "import type { Engine } from '@luoshi/engine';",
        'export const modules = [dsl, engine, store, http, sim, cli] as const;',
        'export type Used = [ProcessFile, Engine];',
        '',
      ].join('\n'),
    );
    const strict = { strict: true, skipLibCheck: false, target: 'ES2022', lib: ['ES2023'], types: ['node'], esModuleInterop: false };
    writeFileSync(
      join(app, 'tsconfig.nodenext.json'),
      JSON.stringify({ compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext', outDir: 'dist', rootDir: 'src' }, include: ['src'] }, null, 2),
    );
    writeFileSync(
      join(app, 'tsconfig.bundler.json'),
      JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, include: ['src'] }, null, 2),
    );
    // The older resolution (`node`, alias `node10`) reads no `exports`: the top-level `types` of each package must carry it.
    writeFileSync(
      join(app, 'tsconfig.node10.json'),
      JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'node10', noEmit: true }, include: ['src'] }, null, 2),
    );
    run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], app);
    run(process.execPath, [tsc, '-p', 'tsconfig.node10.json'], app);
    run(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json'], app);

    // 4. The embedding example, compiled above, runs against the installed packages.
    const output = run(process.execPath, [join('dist', 'embed-sqlite.js')], app);
    expect(output).toMatch(/^deployed .*机关作风建设年@1/m);
    // One instance per node of the example's tree: the bureau and its two branches.
    expect(output).toMatch(/^instances demo\/市民政局, demo\/办公室支部, demo\/社会事务支部$/m);
    expect(output).toMatch(/^rollup /m);

    // 5. The installed command.
    expect(run('npx', ['--no-install', 'luoshi', '--version'], app).trim()).toBe(String(manifest('cli').version));
  }, 600_000);
});
