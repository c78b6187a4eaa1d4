/** The database a `LUOSHI_DATABASE_URL`-style string names. */
export type DatabaseLocation =
  | { readonly kind: 'sqlite'; /** A file path, or `:memory:`. */ readonly file: string }
  | { readonly kind: 'postgres'; /** The `postgres://` connection string, as given. */ readonly url: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Reads a database URL: `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:path`,
 * `sqlite:///absolute/path`, `sqlite::memory:`, or a bare file path (`data/luoshi.db`, `:memory:`)
 * is SQLite. Any other scheme throws, so a typo never silently creates a file named after it.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new Error('The database URL is empty');
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (`C:\data\luoshi.db`), i.e. a file path.
  if (scheme === undefined || scheme.length === 1) return { kind: 'sqlite', file: trimmed };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    // The driver parses it later with the same WHATWG parser and throws a bare "Invalid URL"; the
    // URL itself is not repeated, since it may hold a password.
    if (!URL.canParse(trimmed)) {
      throw new Error('The PostgreSQL URL does not parse (postgres://user:password@host:port/database: a port from 0 to 65535, an IPv6 host in brackets, special characters of the password %-encoded); it is not shown, since it may hold a password');
    }
    return { kind: 'postgres', url: trimmed };
  }
  if (scheme === 'sqlite') {
    let file = trimmed.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') throw new Error(`The database URL "${url}" names no SQLite file`);
    return { kind: 'sqlite', file };
  }
  throw new Error(
    `Unsupported database URL scheme "${scheme}:" (use postgres://user@host:port/database, sqlite:path/to/file.db, or a file path)`,
  );
}
