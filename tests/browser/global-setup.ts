import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    erpBaseUrl: string;
  }
}

const root = resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server did not come up:\n${log()}`);
}

/**
 * Builds the web app into a folder of this run's own (a rebuild by another run cannot pull the files from under
 * its pages; ERP_SKIP_WEB_BUILD=1 serves the last apps/web/dist instead) and starts the real server on a random
 * port with a temp PGlite data dir, which seeds the demo chain on first start.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const webDist = process.env.ERP_SKIP_WEB_BUILD === '1' ? '' : mkdtempSync(join(tmpdir(), 'erp-web-'));
  if (webDist) {
    const { build } = await import('vite');
    await build({ root: join(root, 'apps/web'), logLevel: 'warn', build: { outDir: webDist, emptyOutDir: true } });
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-browser-'));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WEB_DIST: webDist,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      ERP_LOGIN_RATE_LIMIT: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output.slice(-4000));
  project.provide('erpBaseUrl', url);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => {
      if (child.exitCode !== null) return r(null);
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        r(null);
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        r(null);
      });
    });
    rmSync(dataDir, { recursive: true, force: true });
    if (webDist) rmSync(webDist, { recursive: true, force: true });
  };
}
