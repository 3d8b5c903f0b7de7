import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/** Marks where each argument goes; never a value a real query would use. */
const placeholder = (index: number) => `\u0000bulwark-parameter-${index}\u0000`;

/**
 * A query the hub runs on every request (a token lookup), built and compiled by Kysely once per
 * database and then run with new arguments: building and compiling the query tree cost more than
 * SQLite's own work for such a point lookup. `build` receives placeholders and must pass each
 * of them as a plain value (never inside an expression Kysely rewrites); one may appear several times.
 */
export function reusableQuery<DB, Row>(build: (db: Kysely<DB>, ...args: string[]) => Compilable<Row>, arity: number) {
  const compiled = new WeakMap<object, { query: CompiledQuery<Row>; slots: Array<number | null> }>();
  return async (db: Kysely<DB>, ...args: Array<string | number>): Promise<Row[]> => {
    let entry = compiled.get(db);
    if (entry === undefined) {
      const names = Array.from({ length: arity }, (_, index) => placeholder(index));
      const query = build(db, ...names).compile();
      const slots = query.parameters.map((value) => (typeof value === 'string' ? names.indexOf(value) : -1)).map((index) => (index === -1 ? null : index));
      // Every argument must be bound somewhere (an argument may be bound more than once, e.g. in a subquery).
      const bound = new Set(slots.filter((slot) => slot !== null));
      if (bound.size !== arity) throw new Error(`reusableQuery: expected ${arity} placeholders in ${query.sql}`);
      entry = { query, slots };
      compiled.set(db, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((value, index) => {
      const slot = slots[index];
      return slot === null || slot === undefined ? value : args[slot];
    });
    return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  };
}
