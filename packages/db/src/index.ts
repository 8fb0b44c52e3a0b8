export * from './connection.js';
export * from './maintenance.js';
export type * from './schema.js';
export { sql, type Kysely, type Transaction, type Selectable, type Insertable, type Updateable } from 'kysely';
