/**
 * The one place errors become HTTP responses: typed AppErrors keep their status; a database that cannot be reached
 * right now is a 503 with Retry-After; anything else is a logged 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { legacyRedirect } from '../importers/legacy-paths-routes.ts';
import { AppError, BadRequest, NotFound, TooManyRequests, Unauthorized, ValidationError } from '../lib/errors.ts';
import type { AppContext } from './context.ts';
import { siteView } from './context.ts';
import { sendPage } from './render.ts';
import { describeSchemaErrors } from './schema-errors.ts';
import { ErrorPage } from './views/error-page.tsx';

interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field?: string;
}

/** Maps an error to status, stable code and a message safe to show (never database text). */
const NOT_FOUND_MESSAGE = 'There is no page at this address. It may have moved or been unpublished.';

/** Seconds a client is asked to wait (Retry-After) when the database cannot be reached. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/** Node network error codes of a connection refused, cut or not answering. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * True when `error` means the database cannot be reached right now, not that the request or the code is wrong: a
 * refused, reset or ended connection (pg: ECONNREFUSED, ECONNRESET, "Connection terminated…", a pool that cannot
 * connect in time), a PostgreSQL server shutting down or refusing connections (SQLSTATE 57P01–57P03, 53300, class 08),
 * a SQLite file locked past the busy timeout or failing to read or write (SQLITE_BUSY*, SQLITE_IOERR*). Looks through
 * `cause` and AggregateError's `errors` too.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (/^(57P0[123]|53300|08[0-9A-Z]{3})$/.test(code)) return true;
    if (/^SQLITE_(BUSY|IOERR)/.test(code)) return true;
  }
  if (/^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(error.message)) return true;
  const nested = [error.cause, ...(error instanceof AggregateError ? error.errors : [])];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

function describe(error: FastifyError | Error): ErrorBody {
  // Never echo the address (or anything else from the request) into the page: it would let anyone put words on the site.
  if (error instanceof NotFound) return { status: 404, code: error.code, message: NOT_FOUND_MESSAGE };
  if (error instanceof ValidationError) return { status: error.status, code: error.code, message: error.message, field: error.field };
  if (error instanceof BadRequest) return { status: error.status, code: error.code, message: error.message, field: error.field };
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return { status: 400, code: 'bad_request', ...describeSchemaErrors(fastifyError.validation, fastifyError.validationContext) };
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    if (fastifyError.code?.startsWith('FST_CSRF')) return { status, code: 'csrf_invalid', message: 'The form has expired, or your browser blocked its cookie. Go back, reload the page and try again.' };
    if (fastifyError.code === 'FST_ERR_BAD_URL' || fastifyError.code === 'FST_ERR_MAX_PARAM_LENGTH') return { status, code: 'bad_url', message: NOT_FOUND_MESSAGE };
    if (status === 413) return { status, code: 'too_large', message: 'What you sent is far larger than any form here accepts, so it was not read. Go back, shorten it and send it again.' };
    return { status, code: 'bad_request', message: 'The request could not be handled.' };
  }
  if (isDatabaseUnavailable(error)) return { status: 503, code: 'unavailable', message: 'The site is temporarily unavailable. Please try again in a moment.' };
  return { status: 500, code: 'internal', message: 'Something went wrong on our side. Please try again in a moment.' };
}

async function send(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, body: ErrorBody): Promise<FastifyReply> {
  if (request.url.startsWith('/api/') || request.headers.accept === 'application/json') {
    const { status, ...error } = body;
    return reply.status(status).send({ error });
  }
  let site;
  try {
    site = await siteView(ctx);
  } catch {
    // The database may be what failed; the error page must still render.
    site = { name: ctx.config.siteName, url: ctx.config.siteUrl, language: ctx.config.siteLanguage, timeZone: ctx.config.siteTimeZone, now: new Date().toISOString(), sections: [], stylesheet: ctx.stylesheet };
  }
  return sendPage(reply, <ErrorPage site={site} status={body.status} message={body.message} />, body.status);
}

export type ErrorResponder = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** Installs the error and not-found handlers on `app`; returns the responder for Fastify's `frameworkErrors` too. */
export function registerErrorHandling(app: FastifyInstance, ctx: AppContext): ErrorResponder {
  const legacy = legacyRedirect(ctx);
  const respond: ErrorResponder = async (error, request, reply) => {
    // A route's 404 (no such tag or author here) may still be an old address of imported content.
    if (error instanceof NotFound && (await legacy(request, reply).catch(() => undefined))) return reply;
    const body = describe(error);
    if (error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof Unauthorized) reply.header('www-authenticate', 'Bearer realm="api"');
    if (body.status === 503) reply.header('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
    if (body.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.info({ code: body.code, status: body.status, url: request.url }, 'request refused');
    return send(ctx, request, reply, body);
  };
  // An address no route knows may be an old one of imported content: that gets its 301 before the 404.
  app.setNotFoundHandler({ preHandler: legacy }, (request, reply) => send(ctx, request, reply, { status: 404, code: 'not_found', message: NOT_FOUND_MESSAGE }));
  app.setErrorHandler(respond);
  return respond;
}
