import { DomainError, pickLocale } from '@erp/contracts';
import { type ResolvedSession, resolveSession, safeEqual } from '@erp/core';
import type { Database } from '@erp/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'erp_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
    locale: 'zh-CN' | 'en';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m?.[1]?.trim();
}

/**
 * Resolves who is calling from the session cookie or a bearer token — and from nothing else: org and
 * user ids in request bodies are data, never identity (AUTH-2). Cookie sessions must echo their CSRF
 * token on every state-changing request.
 */
export function registerSessionHook(app: FastifyInstance, database: Database): void {
  app.decorateRequest('session', null);
  app.decorateRequest('locale', 'zh-CN');
  app.addHook('onRequest', async (req) => {
    req.locale = pickLocale(req.headers['accept-language']);
    if (!req.url.startsWith('/api/')) return;
    const bearer = bearerToken(req);
    const cookie = req.cookies?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token) return;
    const session = await resolveSession(database.db, token);
    if (!session) {
      // An expired cookie on a public route (login) is harmless; on anything else requireSession answers 401.
      return;
    }
    if (session.kind === 'cookie' && bearer) return; // a cookie session's token is not a bearer token
    if (!bearer && session.kind === 'bearer') return;
    if (!req.headers['accept-language']) req.locale = session.locale === 'en' ? 'en' : 'zh-CN';
    if (session.kind === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !session.csrfToken || !safeEqual(sent, session.csrfToken)) {
        throw new DomainError('CSRF_FAILED');
      }
    }
    req.session = session;
  });
}

export function requireSession(req: FastifyRequest): ResolvedSession {
  if (req.session) return req.session;
  const hadToken = !!(bearerToken(req) ?? req.cookies?.[SESSION_COOKIE]);
  throw new DomainError(hadToken ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
}
