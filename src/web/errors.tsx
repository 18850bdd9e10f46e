/** The one place errors become HTTP responses: typed AppErrors keep their status; anything else is a logged 500. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../lib/errors.ts';
import type { AppContext } from './context.ts';
import { siteView } from './context.ts';
import { sendPage } from './render.ts';
import { ErrorPage } from './views/error-page.tsx';

interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field?: string;
}

/** Maps an error to status, stable code and a message safe to show (never database text). */
function describe(error: FastifyError | Error): ErrorBody {
  if (error instanceof ValidationError) return { status: error.status, code: error.code, message: error.message, field: error.field };
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return { status: 400, code: 'bad_request', message: 'The request is not valid.' };
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = fastifyError.code?.startsWith('FST_CSRF') ? 'csrf_invalid' : 'bad_request';
    return { status, code, message: code === 'csrf_invalid' ? 'The form has expired. Go back, reload the page and try again.' : 'The request could not be handled.' };
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

/** Installs the error and not-found handlers on `app`. */
export function registerErrorHandling(app: FastifyInstance, ctx: AppContext): void {
  app.setNotFoundHandler((request, reply) => send(ctx, request, reply, { status: 404, code: 'not_found', message: 'There is no page at this address. It may have moved or been unpublished.' }));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = describe(error);
    if (body.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.info({ code: body.code, status: body.status, url: request.url }, 'request refused');
    return send(ctx, request, reply, body);
  });
}
