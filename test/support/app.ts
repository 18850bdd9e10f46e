/** Builds the real app on a test database and serves it over real HTTP on a loopback port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { OpenDatabase } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { openTestDatabase } from './databases.ts';

export interface TestServer {
  app: FastifyInstance;
  database: OpenDatabase;
  config: Config;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close(): Promise<void>;
}

/** Starts the app on `dialect` with demo content off unless `env.DEMO_CONTENT` says otherwise. */
/**
 * `shareDatabaseOf`: run as a second instance on another server's database (closing this one leaves it open), as
 * several stateless instances share one database in production.
 */
export async function startTestServer(dialect: DialectName, options: { env?: Record<string, string>; clock?: Clock; shareDatabaseOf?: TestServer } = {}): Promise<TestServer> {
  const mediaDir = mkdtempSync(join(tmpdir(), 'broadsheet-media-'));
  const config = loadConfig({ DEMO_CONTENT: 'false', LOG_LEVEL: 'silent', SITE_URL: 'http://news.example.test', MEDIA_DIR: mediaDir, ...options.env });
  const shared = options.shareDatabaseOf?.database;
  const database = shared ? { ...shared, close: async () => {} } : await openTestDatabase(dialect);
  const app = await buildApp(config, { database, clock: options.clock, logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return {
    app,
    database,
    config,
    origin: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}
