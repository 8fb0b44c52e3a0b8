import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '@erp/db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    erpSnapshot: string;
    erpTemplateDb: string;
  }
}

/**
 * Migrates once per run: a PGlite data-dir snapshot, or a template database on PostgreSQL
 * (DATABASE_URL), from which every test file gets a fresh copy.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `erp_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const target = new URL(url);
    target.pathname = `/${template}`;
    const database = await openDatabase({ url: target.toString(), poolSize: 1 });
    await migrateToLatest(database.db);
    await database.close();
    project.provide('erpTemplateDb', template);
    project.provide('erpSnapshot', '');
    return async () => {
      await admin.query(`drop database if exists ${template}`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'erp-test-'));
  const database = await openDatabase();
  await migrateToLatest(database.db);
  const dump = await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('none');
  const file = join(dir, 'snapshot.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('erpSnapshot', file);
  project.provide('erpTemplateDb', '');
  return async () => rmSync(dir, { recursive: true, force: true });
}
