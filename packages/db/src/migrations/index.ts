import type { Migration } from 'kysely';
import * as m0001 from './0001_spine.js';
import * as m0002 from './0002_catalog.js';
import * as m0003 from './0003_inventory.js';
import * as m0004 from './0004_purchasing.js';
import * as m0005 from './0005_pos.js';
import * as m0006 from './0006_stock_money_path.js';
import * as m0007 from './0007_pos_money_path.js';

/** Every migration, in order. Names sort; files are frozen once landed. */
export const migrations: Record<string, Migration> = {
  '0001_spine': m0001,
  '0002_catalog': m0002,
  '0003_inventory': m0003,
  '0004_purchasing': m0004,
  '0005_pos': m0005,
  '0006_stock_money_path': m0006,
  '0007_pos_money_path': m0007,
};
