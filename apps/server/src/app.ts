import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '@erp/db';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerErrorHandler } from './http/errors.js';
import { registerSessionHook } from './http/session.js';
import { registerModuleRoutes } from './routes.generated.js';

export interface AppOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Built web app to serve at '/'; default apps/web/dist when it exists. */
  webDist?: string | null;
  /** Sign-in attempts per IP per minute (AUTH-3). */
  loginRateLimit?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const defaultWebDist = join(here, '../../web/dist');

/** Composition root: plugins, the session hook, the error mapper, every module's routes, the web app. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 20 * 1024 * 1024,
    trustProxy: process.env.ERP_TRUST_PROXY === '1',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: '连锁零售ERP API / Chain-retail ERP API',
        version: '0.1.0',
        description:
          'Errors are RFC 9457 problem+json with a stable `code` and messages in zh-CN and en. Write endpoints accept an `Idempotency-Key` header: a replay returns the first response. Browser sessions use an HttpOnly cookie and must send `X-CSRF-Token`; API clients sign in with mode "bearer" and send `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: 'erp_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const webDist = options.webDist === undefined ? (existsSync(defaultWebDist) ? defaultWebDist : null) : options.webDist;
  registerSessionHook(app, options.database);
  registerErrorHandler(app, { spaShell: !!webDist });

  const deps = {
    database: options.database,
    loginRateLimit: options.loginRateLimit ?? Number(process.env.ERP_LOGIN_RATE_LIMIT ?? 30),
  };
  registerModuleRoutes(app, deps);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (webDist) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
  }
  return app;
}
