/** The one place errors become HTTP responses: typed AppErrors keep their status; anything else is a logged 500. */
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
    return { status, code: 'bad_request', message: 'The request could not be handled.' };
  }
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
    if (body.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.info({ code: body.code, status: body.status, url: request.url }, 'request refused');
    return send(ctx, request, reply, body);
  };
  // An address no route knows may be an old one of imported content: that gets its 301 before the 404.
  app.setNotFoundHandler({ preHandler: legacy }, (request, reply) => send(ctx, request, reply, { status: 404, code: 'not_found', message: NOT_FOUND_MESSAGE }));
  app.setErrorHandler(respond);
  return respond;
}
