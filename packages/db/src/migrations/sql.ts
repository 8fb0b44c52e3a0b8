import { type Kysely, sql } from 'kysely';

/**
 * Runs a migration's SQL one statement at a time (the extended query protocol takes one statement per
 * call). Statements are separated by a line holding only `;` — function bodies may contain semicolons.
 * Part of the frozen migration infrastructure: never changes meaning once a migration uses it.
 */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/^\s*;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
