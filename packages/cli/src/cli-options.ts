import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_SQLITE_FILE } from './database-option.js';

/*
 * The options several commands share, written once so that they read alike in every command's help:
 * the message language, the output format, a live database, whole numbers.
 */

/** `--lang zh|en`; without it the language comes from the locale (`cliLanguage`). */
export function langOption(description = 'message language, default from LANG'): Option {
  return new Option('--lang <lang>', description).choices(['zh', 'en']);
}

/** `--format text|json`, text by default. */
export function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
}

/** A commander parser for a whole number from `min` (to `max` when given: a count or a seed the library would refuse after reading every file). */
export function integer(min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(max === undefined ? `expected an integer of at least ${min}` : `expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/**
 * `--db` and `--url`, the two ways of naming a live campaign's database. Neither has a commander
 * default: `databaseTarget` must see which one was given to refuse both and to fall back to
 * `LUOSHI_DATABASE_URL` before the default file.
 */
export function withDatabaseOptions(command: Command): Command {
  return command
    .option('--db <file>', `SQLite database file (default: ${DEFAULT_SQLITE_FILE}, unless LUOSHI_DATABASE_URL is set)`)
    .option('--url <url>', 'database URL, postgres://user@host:port/database (or sqlite:file); default: LUOSHI_DATABASE_URL');
}
