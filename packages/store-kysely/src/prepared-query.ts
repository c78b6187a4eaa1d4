import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

/** What runs a compiled query: a `Kysely` instance, bound to a connection or to the pool. */
export interface QueryRunner {
  executeQuery<O>(query: CompiledQuery<O>): Promise<QueryResult<O>>;
}

/** Stands in for the value at `index` while a query is built, so its compiled parameters can be traced back. */
class Placeholder {
  constructor(readonly index: number) {}
}

/** Where each compiled parameter comes from: the index of a value, or -1 for a constant the builder made. */
type Slots = readonly number[];

/**
 * A query built with Kysely's builder and compiled by the dialect's own compiler once; each run
 * only binds new values, in the order of the placeholders `build` was given. The SQL text is what
 * the dialect produced (`?` on SQLite, `$1` on PostgreSQL), so it stays valid on both, while no
 * operation tree is built or compiled per run. Runs go through Kysely's executor, on whatever
 * connection the given `Kysely` is bound to (a transaction's, or the pool).
 */
export class PreparedQuery<P extends readonly unknown[], R> {
  readonly #compiled: CompiledQuery<R>;
  /** `undefined` when the compiled parameters are exactly the values in order (the usual case). */
  readonly #slots: Slots | undefined;
  readonly #constants: readonly unknown[];

  /**
   * Builds the query by calling `build` with `arity` placeholders, compiles it, and checks that
   * every placeholder became a bound parameter (not, say, text inlined into the SQL).
   */
  constructor(arity: P['length'], build: (...params: P) => Compilable<R>) {
    const placeholders = Array.from({ length: arity }, (_, index) => new Placeholder(index));
    this.#compiled = build(...(placeholders as unknown as P)).compile();
    const slots = this.#compiled.parameters.map((parameter) => (parameter instanceof Placeholder ? parameter.index : -1));
    for (let index = 0; index < arity; index++) {
      if (!slots.includes(index)) throw new Error(`Placeholder ${index} of a prepared query is not a bound parameter: ${this.#compiled.sql}`);
    }
    const identity = slots.length === arity && slots.every((slot, position) => slot === position);
    this.#slots = identity ? undefined : slots;
    this.#constants = this.#compiled.parameters;
  }

  /** The SQL text the dialect compiled. */
  get sql(): string {
    return this.#compiled.sql;
  }

  /** Runs the query with `values` for its placeholders on `db`'s connection. */
  execute(db: QueryRunner, values: P): Promise<QueryResult<R>> {
    const compiled = this.#compiled;
    return db.executeQuery<R>({
      sql: compiled.sql,
      query: compiled.query,
      queryId: compiled.queryId,
      parameters: this.#slots === undefined ? values : this.#bind(this.#slots, values),
    });
  }

  #bind(slots: Slots, values: P): unknown[] {
    return slots.map((slot, position) => (slot === -1 ? this.#constants[position] : values[slot]));
  }
}

/**
 * Prepared queries whose text depends on a count (rows of a multi-row insert, values of an `in`
 * list): each count is built and compiled the first time it is needed, then kept.
 */
export class PreparedQueryFamily<R> {
  readonly #build: (count: number) => PreparedQuery<readonly unknown[], R>;
  readonly #byCount = new Map<number, PreparedQuery<readonly unknown[], R>>();

  constructor(build: (count: number) => PreparedQuery<readonly unknown[], R>) {
    this.#build = build;
  }

  /** The query for `count` items. */
  of(count: number): PreparedQuery<readonly unknown[], R> {
    let query = this.#byCount.get(count);
    if (query === undefined) this.#byCount.set(count, (query = this.#build(count)));
    return query;
  }
}
