import type { Database } from '@erp/db';
import { buildTestChain, createTestDatabase, TEST_PASSWORD, type TestChain } from '@erp/test-kit';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from './app.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  chain: TestChain;
  /** Bearer headers for a login (cached per login). */
  auth(login: string): Promise<Record<string, string>>;
  call(login: string, opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** A server on a fresh test database with the standard test chain, for one test file. */
export function useTestApp(): () => TestApp {
  let ctx: TestApp | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const chain = await buildTestChain(database);
    const app = await buildApp({ database, webDist: null, loginRateLimit: 10_000 });
    await app.ready();
    const tokens = new Map<string, string>();
    const auth = async (login: string) => {
      let token = tokens.get(login);
      if (!token) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { login, password: TEST_PASSWORD, mode: 'bearer' },
        });
        if (res.statusCode !== 200) throw new Error(`login ${login} failed: ${res.body}`);
        token = res.json().token as string;
        tokens.set(login, token);
      }
      return { authorization: `Bearer ${token}` };
    };
    ctx = {
      app,
      database,
      chain,
      auth,
      call: async (login, opts) => app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(await auth(login)) } }),
    };
  }, 120_000);
  afterAll(async () => {
    await ctx?.app.close();
    await ctx?.database.close();
  });
  return () => {
    if (!ctx) throw new Error('test app not ready');
    return ctx;
  };
}
