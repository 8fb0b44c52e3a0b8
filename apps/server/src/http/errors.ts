import {
  type AnySchema,
  type Bilingual,
  DomainError,
  describeIssues,
  type ErrorCode,
  type FieldIssue,
  fieldIssuesFromZod,
  type IssueLike,
  type Locale,
  toProblem,
} from '@erp/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';

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

type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** A field issue whose message is given in both languages, answered in the request's. */
function issueIn(locale: Locale, path: string, code: string, text: Bilingual): FieldIssue {
  return { path, code, message: locale === 'en' ? text.en : text.zh, messageZh: text.zh, messageEn: text.en };
}

/**
 * Schema failures as readable field errors: the route's own schema for the request part names the fields
 * (entity-scoped labels), and the raw input tells "请填写…" (missing) from a wrong value.
 */
function schemaIssues(err: FastifyError, req: FastifyRequest): FieldIssue[] {
  const where = (err.validationContext ?? 'body') as RequestPart;
  const schema = (req.routeOptions.schema as Partial<Record<RequestPart, AnySchema>> | undefined)?.[where];
  const input = { body: req.body, querystring: req.query, params: req.params, headers: req.headers }[where];
  const issues = (err.validation ?? []).map(
    (v): IssueLike => ({
      ...(v.params as IssueLike),
      code: v.keyword,
      path: v.instancePath.split('/').filter(Boolean),
      message: v.message ?? '',
    }),
  );
  return describeIssues(issues, { schema, input, locale: req.locale, prefix: where });
}

/**
 * PostgreSQL refusing a value (SQLSTATE class 22): a NUL or unencodable character, text where a number or
 * date belongs, a number too large for its column. Input reaching the database this way slipped past a
 * schema; it is still the caller's input, so it is a 400 naming the problem, never a 500.
 */
const DATA_ERRORS: Record<string, Bilingual> = {
  '22021': { zh: '内容含有无法保存的字符', en: 'The input contains characters that cannot be stored' },
  '22P05': { zh: '内容含有无法保存的字符', en: 'The input contains characters that cannot be stored' },
  '22P02': { zh: '内容中有格式不正确的值', en: 'The input has a value in the wrong format' },
  '22007': { zh: '内容中有格式不正确的日期或时间', en: 'The input has a date or time in the wrong format' },
  '22008': { zh: '内容中的日期或时间超出范围', en: 'The input has a date or time out of range' },
  '22003': { zh: '内容中的数值超出允许范围', en: 'The input has a number out of range' },
  '22001': { zh: '内容中的文字过长', en: 'The input has a text that is too long' },
};

const CONSTRAINT_ERRORS: Record<string, Bilingual> = {
  '23503': { zh: '引用的数据不存在或仍被使用', en: 'A referenced record does not exist or is still in use' },
  '23514': { zh: '数据不符合规则', en: 'The data breaks a rule' },
  '23502': { zh: '缺少必填的数据', en: 'A required value is missing' },
};

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
    if (hasZodFastifySchemaValidationErrors(err)) return sendProblem(reply, req, 'VALIDATION_FAILED', {}, schemaIssues(err, req));
    // A service parsing a command itself: the same readable messages, named by field.
    if (err instanceof ZodError) {
      return sendProblem(reply, req, 'VALIDATION_FAILED', {}, fieldIssuesFromZod(err, { locale: req.locale }));
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
        issueIn(req.locale, 'body', 'invalid_body', {
          zh: '请求内容格式不正确',
          en: 'The request body is malformed or of a type not accepted',
        }),
      ]);
    }
    if (err.code === '23505') return sendProblem(reply, req, 'DUPLICATE', { field: err.constraint ?? 'value', value: '' });
    if (err.code === '40001' || err.code === '40P01') return sendProblem(reply, req, 'CONFLICT');
    const dataError = err.code ? (DATA_ERRORS[err.code] ?? CONSTRAINT_ERRORS[err.code]) : undefined;
    if (dataError) {
      req.log.warn({ err }, 'the database refused a value');
      return sendProblem(reply, req, 'VALIDATION_FAILED', {}, [
        issueIn(req.locale, err.constraint ?? 'body', err.code as string, dataError),
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
