import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@erp/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../apps/server/src/app.js';

export interface HttpResult {
  status: number;
  body: string;
  bytes: number;
  ms: number;
}

/**
 * The real server (every plugin, the session hook, validation, the route wrapper) listening on a local
 * port, and a keep-alive client: what a till or a browser goes through, minus the network.
 */
export class BenchServer {
  private constructor(
    private readonly app: FastifyInstance,
    readonly baseUrl: string,
    private readonly agent: Agent,
  ) {}

  static async start(database: Database): Promise<BenchServer> {
    const app = await buildApp({ database, webDist: null, loginRateLimit: 1_000_000, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return new BenchServer(app, `http://127.0.0.1:${port}`, new Agent({ keepAlive: true, maxSockets: 64 }));
  }

  request(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpResult> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              body: buf.toString('utf8'),
              bytes: buf.length,
              ms: performance.now() - started,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Signs in through the API (bearer mode) and returns the headers that carry the session. */
  async login(login: string, password: string): Promise<Record<string, string>> {
    const res = await this.request('POST', '/api/auth/login', {}, { login, password, mode: 'bearer' });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${res.body}`);
    return { authorization: `Bearer ${(JSON.parse(res.body) as { token: string }).token}` };
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.app.close();
  }
}
