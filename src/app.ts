/** Composition root: opens and migrates the database, loads demo content, wires plugins and routes into a Fastify app. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.ts';
import { connectDatabase, type OpenDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadDemoContent } from './demo/load-demo.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { NotFound } from './lib/errors.ts';
import { hasNul } from './lib/form-input.ts';
import { createMailer } from './lib/mailer.ts';
import { createSiteEvents } from './lib/site-events.ts';
import { createCommentNotifier, startModerationDigest } from './comments/notifications.ts';
import { memoryRateLimiter, redisRateLimiter, type CommentRateLimiter } from './comments/defences/rate-limit.ts';
import { akismetChecker } from './comments/defences/spam-check.ts';
import { getOrCreateSecret } from './settings/store.ts';
import { startScheduler } from './newsroom/scheduler.ts';
import { startWebhooks } from './distribution/webhooks/worker.ts';
import { LocalDiskStorage } from './media/storage.ts';
import { MAX_IMAGE_BYTES } from './media/images.ts';
import type { AppContext } from './web/context.ts';
import { registerErrorHandling, type ErrorResponder } from './web/errors.tsx';
import { registerMultipart } from './web/multipart.ts';
import { registerCompression } from './web/compression.ts';
import { cookieSecure, registerSecurityHeaders, secureBareReply } from './web/security-headers.ts';
import { assetPath, registerAssets } from './web/asset-paths.ts';
import { registerPublicRoutes } from './web/public.ts';
import { registerAdminRoutes } from './web/admin.ts';
import { lazySchemaController, registerApiRoutes } from './web/api.ts';
import { registerOperationsRoutes } from './operations/routes.ts';
import { hitFirstServer } from './caching/cache-hits.ts';
import { setupCaching, type Caching } from './caching/setup.ts';


export interface BuildOptions {
  /** An already-open database (tests pass PGlite or a per-test SQLite file); otherwise config.database is opened. */
  database?: OpenDatabase;
  clock?: Clock;
  /** pino options or false; defaults to JSON logs at config.logLevel. */
  logger?: boolean | object;
}

/** The configured database for messages: dialect and location, password removed. */
function describeDatabase(config: Config): string {
  if (config.database.dialect === 'sqlite') return `SQLite file ${config.database.location}`;
  const url = new URL(config.database.location);
  url.password = url.password ? '***' : '';
  return `PostgreSQL ${url.href}`;
}

/**
 * Comment rate limits: shared through Redis when REDIS_URL is set (keys prefixed per site, derived from the site
 * secret every instance shares), else in this process. An unreachable Redis does not stop the start: comments
 * posted meanwhile are held for moderation, and the client keeps reconnecting.
 */
async function createRateLimiter(config: Config, secret: string, log: FastifyBaseLogger): Promise<CommentRateLimiter> {
  if (!config.redisUrl) return memoryRateLimiter();
  const limiter = redisRateLimiter(config.redisUrl, redisPrefix(secret));
  if (!(await limiter.ready(3000))) log.warn('REDIS_URL is not reachable yet; comments will be held for moderation until it is');
  return limiter;
}

/** The Redis key and channel prefix of this site: derived from the site secret every instance shares. */
function redisPrefix(secret: string): string {
  return `broadsheet:${createHash('sha256').update(`redis-prefix:${secret}`).digest('hex').slice(0, 12)}`;
}

/** Largest accepted request body, in bytes (a long comment is ~10 kB). */
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Builds the app: migrates the database, creates the site secret, loads demo content when enabled and the
 * database is empty, registers plugins and routes. The database is closed when the app closes.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const database = options.database ?? (await connectDatabase(config));
  const clock = options.clock ?? systemClock;
  // Fastify needs this handler at construction; it delegates to the error responder once that exists.
  let frameworkErrors: ErrorResponder = async (error, _request, reply) => reply.status(error.statusCode ?? 400).send();
  // Page-cache hits are answered by the HTTP server before Fastify; the answerer exists once caching is set up.
  const hitsFirst = hitFirstServer();
  const app = Fastify({
    serverFactory: hitsFirst.serverFactory,
    schemaController: lazySchemaController(),
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    // Slugs are percent-encoded UTF-8 and may be long.
    routerOptions: { maxParamLength: 500 },
    // Behind a reverse proxy or CDN, the reader's address comes from X-Forwarded-For sent by the listed proxies only.
    trustProxy: config.trustProxy === false ? false : config.trustProxy,
    // Malformed or over-long addresses go through the app's error handler (web/errors.tsx) like every other error.
    frameworkErrors: (error, request, reply) => {
      // No hook has run for these: the security headers are set here.
      secureBareReply(request, reply, config);
      void frameworkErrors(error, request, reply);
    },
  });
  app.addHook('onClose', () => database.close());
  try {
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      throw new Error(`cannot use the database named by DATABASE_URL (${describeDatabase(config)}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const secret = await getOrCreateSecret(database.db);
    const stylesheet = assetPath('site.css');
    const adminStylesheet = assetPath('admin.css');
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log: app.log });
    const mediaRoot = resolve(config.mediaDir);
    mkdirSync(mediaRoot, { recursive: true });
    const storage = new LocalDiskStorage(mediaRoot);
    const notificationDeps = { db: database.db, clock, mailer, log: app.log, secret, siteName: config.siteName, siteUrl: config.siteUrl };
    const notifier = createCommentNotifier(notificationDeps);
    // Mails still being sent finish before the database closes (bounded, so a hung SMTP server cannot stall shutdown).
    app.addHook('preClose', async () => {
      await Promise.race([notifier.idle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    });
    const rateLimiter = await createRateLimiter(config, secret, app.log);
    app.addHook('onClose', () => rateLimiter.close());
    const spamChecker = config.akismetApiKey
      ? akismetChecker({ apiKey: config.akismetApiKey, endpoint: config.akismetUrl, siteUrl: config.siteUrl, language: config.siteLanguage })
      : undefined;
    const events = createSiteEvents(app.log);
    const ctx: AppContext = { db: database.db, readDb: database.readDb ?? database.db, dialect: database.dialect, clock, config, secret, stylesheet, adminStylesheet, mailer, storage, notifier, rateLimiter, spamChecker, events };
    if (config.demoContent) {
      const loaded = await loadDemoContent(ctx);
      if (loaded) app.log.info({ articles: loaded }, 'demo content loaded into the empty database');
    }

    // Before the scheduler's first run, so articles it publishes at start are announced to webhooks too. Closed
    // after in-flight requests (onClose hooks run last-added first, the database last).
    const webhooks = startWebhooks({ db: database.db, clock, log: app.log, events, siteUrl: config.siteUrl, allowPrivate: config.webhooksAllowPrivate });
    app.addHook('onClose', () => webhooks.close());
    const scheduler = startScheduler({ db: database.db, clock, log: app.log, events });
    app.addHook('onClose', async () => scheduler.stop());
    const digest = startModerationDigest(notificationDeps);
    app.addHook('onClose', async () => digest.stop());
    await scheduler.runOnce();

    await registerSecurityHeaders(app, config);
    await app.register(fastifyCookie, { secret });
    await app.register(fastifyCsrf, {
      cookieKey: '_csrf',
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: cookieSecure(config) },
      getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf,
    });
    await app.register(fastifyFormbody);
    // Before every route, @fastify/static's included: it hooks each route as it is added.
    await registerCompression(app);
    await registerAssets(app);
    // Media file names are random and never reused, so they can be cached for good.
    await app.register(fastifyStatic, { root: mediaRoot, prefix: '/media/', decorateReply: false, maxAge: '365d', immutable: true });
    await registerMultipart(app, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 30 } });
    frameworkErrors = registerErrorHandling(app, ctx);
    app.addHook('preValidation', async (request) => {
      if (hasNul(request.params)) throw new NotFound('NUL in the address');
    });
    // First: its request-duration hook must cover every route registered after it.
    let caching: Caching | undefined;
    registerOperationsRoutes(app, ctx, () => caching?.report());
    // Before the reader routes: its onRequest hook answers from the page cache, its onSend hook sets the caching headers.
    caching = setupCaching(app, { config, db: database.db, clock, events, redisPrefix: redisPrefix(secret) });
    hitsFirst.answerHits(caching.answerHits);
    registerPublicRoutes(app, ctx);
    await registerAdminRoutes(app, ctx);
    await registerApiRoutes(app, ctx);
    await app.ready();
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
