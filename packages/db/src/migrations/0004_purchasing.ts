import type { Kysely } from 'kysely';

// Reserved for its module; filled in before the module lands (frozen afterwards).
export async function up(_db: Kysely<unknown>): Promise<void> {}
