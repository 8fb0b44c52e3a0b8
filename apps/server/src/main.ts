import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_LOGINS, demoTills, seedDemo, syncBuiltinRoles } from '@erp/core';
import { migrateToLatest, openDatabase, startMaintenance } from '@erp/db';
import { buildApp } from './app.js';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const dataDir = resolve(process.env.DATA_DIR ?? 'data/pglite');
  if (!url) mkdirSync(dataDir, { recursive: true });
  const database = await openDatabase(url ? { url } : { dataDir });
  const applied = await migrateToLatest(database.db);
  await syncBuiltinRoles(database.db);
  const demo = process.env.ERP_DEMO !== '0' ? await seedDemo(database) : false;
  const stopMaintenance = startMaintenance(database);

  const app = await buildApp({
    database,
    // WEB_DIST: serve a web build from elsewhere than apps/web/dist (the browser tests build their own).
    ...(process.env.WEB_DIST ? { webDist: resolve(process.env.WEB_DIST) } : {}),
    logger: { level: process.env.LOG_LEVEL ?? 'info', ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}) },
  });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  await app.listen({ port, host });

  const lines = [
    '',
    `  连锁零售ERP / Chain-retail ERP is running: http://localhost:${port}`,
    `  Database: ${database.kind === 'postgres' ? 'PostgreSQL' : `PGlite (embedded, ${dataDir}) — for trying out and small single sites; run production on PostgreSQL with DATABASE_URL`}`,
    applied.length ? `  Migrations applied: ${applied.join(', ')}` : '  Migrations: up to date',
    `  API docs: http://localhost:${port}/api/docs`,
  ];
  if (demo !== false || process.env.ERP_DEMO !== '0') {
    lines.push(
      '  Demo logins (password for all):',
      ...DEMO_LOGINS.map((d) => `    ${d.login.padEnd(14)} ${d.password}  ${d.role}`),
    );
    const tills = await demoTills(database.db);
    if (tills.length) {
      lines.push(
        `  Demo tills 收银机 (open http://localhost:${port}/pos/ , pair with the code, then sign in with a login and its till PIN 收银密码):`,
        ...tills.map(
          (t) =>
            `    ${t.terminal.padEnd(9)} ${(t.pairingCode ? `配对码 pairing code ${t.pairingCode}` : '已配对 paired (重新配对 Re-pair for a new code)').padEnd(34)}` +
            `  cashier ${t.cashier ?? '—'} / supervisor ${t.supervisor ?? '—'}, PIN ${t.pin}`,
        ),
      );
    }
  }
  console.log(lines.join('\n'));

  const shutdown = async () => {
    stopMaintenance();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
