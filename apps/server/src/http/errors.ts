import { DomainError, type ErrorCode, type FieldIssue, toFieldIssue, toProblem } from '@erp/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  code: ErrorCode,
  params: Record<string, string | number | boolean | null | undefined> = {},
  errors?: FieldIssue[],
) {
  const problem = toProblem(code, req.locale ?? 'zh-CN', params, { errors, requestId: req.id });
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/**
 * The one place errors become HTTP: DomainError → its code; schema failures → VALIDATION_FAILED with
 * field details in both languages; database constraint errors → DUPLICATE/CONFLICT; anything else → a
 * logged INTERNAL with the request id and no internals leaked.
 */
export function registerErrorHandler(app: FastifyInstance, opts: { spaShell: boolean }): void {
  app.setErrorHandler((err: FastifyError & PgError, req, reply) => {
    if (err instanceof DomainError) {
      const issues = err.fieldIssues?.map((i) => ({
        ...i,
        message: req.locale === 'en' ? (i.messageEn ?? i.message) : (i.messageZh ?? i.message),
      }));
      return sendProblem(reply, req, err.code, err.params, issues);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const issues = err.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean);
        const issue = toFieldIssue({ ...(v.params as object), code: v.keyword, path, message: v.message }, req.locale);
        return { ...issue, path: [where, ...path].join('.') };
      });
      return sendProblem(reply, req, 'VALIDATION_FAILED', {}, issues);
    }
    if (err.code === 'FST_ERR_RESPONSE_SERIALIZATION' && isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return sendProblem(reply, req, 'INTERNAL', { requestId: req.id });
    }
    if (err.statusCode === 429)
      return sendProblem(reply, req, 'RATE_LIMITED', { after: `${String(reply.getHeader('retry-after') ?? '60')}s` });
    if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, req, 'PAYLOAD_TOO_LARGE');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.statusCode === 400) {
      return sendProblem(reply, req, 'VALIDATION_FAILED', {}, [
        { path: 'body', code: 'invalid_body', message: err.message, messageEn: err.message, messageZh: '请求内容格式不正确' },
      ]);
    }
    if (err.code === '23505') return sendProblem(reply, req, 'DUPLICATE', { field: err.constraint ?? 'value', value: '' });
    if (err.code === '40001' || err.code === '40P01') return sendProblem(reply, req, 'CONFLICT');
    if (err.code === '23503' || err.code === '23514') {
      req.log.warn({ err }, 'constraint violation');
      return sendProblem(reply, req, 'VALIDATION_FAILED', {}, [
        { path: err.constraint ?? 'body', code: 'constraint', message: err.detail ?? err.message },
      ]);
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, 'INTERNAL', { requestId: req.id });
  });
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes of the web app: any non-API GET that is not a file gets the app shell.
    if (opts.spaShell && req.method === 'GET' && !req.url.startsWith('/api/')) {
      // The till (/pos/…) is its own entry of the web app, with its own shell.
      const shell = req.url === '/pos' || req.url.startsWith('/pos/') || req.url.startsWith('/pos?') ? 'pos.html' : 'index.html';
      return reply.type('text/html').sendFile(shell);
    }
    return sendProblem(reply, req, 'ROUTE_NOT_FOUND');
  });
}
