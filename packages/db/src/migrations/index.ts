import type { Migration } from 'kysely';
import * as m0001 from './0001_spine.js';

/** Every migration, in order. Names sort; files are frozen once landed. */
export const migrations: Record<string, Migration> = {
  '0001_spine': m0001,
};
