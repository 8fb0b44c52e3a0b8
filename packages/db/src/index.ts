export { type Insertable, type Kysely, type RawBuilder, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
export * from './connection.js';
export * from './maintenance.js';
export type * from './schema.js';
