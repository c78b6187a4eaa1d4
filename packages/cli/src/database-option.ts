import { DATABASE_URL_VARIABLE, parseDatabaseUrl, type KyselySqliteStoreConfig, type KyselyUrlStoreConfig } from '@luoshi/store-kysely';
import { CliError } from './cli-error.js';

/** Where a live command keeps its campaign: a SQLite file (`--db`) or a database URL (`--url`, `LUOSHI_DATABASE_URL`). */
export type DatabaseTarget = Pick<KyselySqliteStoreConfig, 'sqlite'> | Pick<KyselyUrlStoreConfig, 'url'>;

/** The SQLite file the live commands use when given neither `--db`, `--url` nor the variable. */
export const DEFAULT_SQLITE_FILE = 'luoshi.sqlite';

/**
 * Picks the database from the options and the environment: `--db` or `--url` (never both), else
 * `LUOSHI_DATABASE_URL`, else `luoshi.sqlite`. An option beats the variable, so a one-off command
 * against a rehearsal file works in a shell that exports the production URL. The URL is checked here,
 * before anything is opened, so a typo is a usage error rather than a driver's stack trace.
 */
export function databaseTarget(options: { readonly db?: string; readonly url?: string }, env: Readonly<Record<string, string | undefined>>): DatabaseTarget {
  if (options.db !== undefined && options.url !== undefined) throw new CliError('CLI_DB_AND_URL');
  if (options.db !== undefined) return { sqlite: options.db };
  const fromEnv = env[DATABASE_URL_VARIABLE];
  const [url, source, sourceZh] =
    options.url !== undefined ? [options.url, '--url', '--url 参数'] : fromEnv !== undefined && fromEnv.trim() !== '' ? [fromEnv, DATABASE_URL_VARIABLE, `环境变量 ${DATABASE_URL_VARIABLE} `] : [];
  if (url === undefined) return { sqlite: DEFAULT_SQLITE_FILE };
  try {
    parseDatabaseUrl(url);
  } catch (error) {
    throw new CliError('CLI_BAD_DATABASE_URL', { source: source as string, sourceZh: sourceZh as string, detail: (error as Error).message }, { cause: error });
  }
  return { url };
}

/** How a target is shown to a person: the file, or the URL without its password. */
export function describeDatabase(target: DatabaseTarget): string {
  if ('sqlite' in target) return target.sqlite;
  try {
    const parsed = new URL(target.url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL the parser takes, but it may still carry a password before an "@": never shown.
    // Up to the last "@": a password may hold an "@" of its own.
    return target.url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):.*@/i, '$1:***@');
  }
}
