/**
 * The statements a running app sends to its database: the app is built on a test database seen through a Kysely
 * plugin that records the SQL of every statement that returns (so a subquery builder, compiled but never run alone,
 * does not count), transactions included.
 */
import type { CompiledQuery, KyselyPlugin } from 'kysely';
import type { OpenDatabase } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { startTestServer, type TestServer } from './app.ts';
import { openTestDatabase } from './databases.ts';

/** The SQL of the statements run since the last `reset()`, in order. */
export interface QueryLog {
  readonly statements: readonly string[];
  reset(): void;
}

function recordingPlugin(log: { statements: string[] }, compile: (node: Parameters<KyselyPlugin['transformQuery']>[0]) => CompiledQuery): KyselyPlugin {
  const compiled = new Map<string, string>();
  return {
    transformQuery(args) {
      compiled.set(args.queryId.queryId, compile(args).sql);
      return args.node;
    },
    async transformResult(args) {
      log.statements.push(compiled.get(args.queryId.queryId) ?? '(unknown)');
      compiled.delete(args.queryId.queryId);
      return args.result;
    },
  };
}

/** A test server (startTestServer) whose every database statement is recorded in `log`; `close()` also drops the database. */
export async function startRecordingServer(dialect: DialectName, options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<{ server: TestServer; log: QueryLog; close(): Promise<void> }> {
  const database = await openTestDatabase(dialect);
  const log = { statements: [] as string[], reset: () => void (log.statements.length = 0) };
  const executor = database.db.getExecutor();
  const recorded: OpenDatabase = { ...database, db: database.db.withPlugin(recordingPlugin(log, (args) => executor.compileQuery(args.node, args.queryId))) };
  // As a second instance on a database opened here, so the app runs on the recording view of it.
  const server = await startTestServer(dialect, { ...options, shareDatabaseOf: { database: recorded } as Pick<TestServer, 'database'> as TestServer });
  return {
    server,
    log,
    async close() {
      await server.close();
      await database.close();
    },
  };
}

/**
 * The statements that `action` sends, tried `tries` times and the fewest kept: the app's background jobs (scheduled
 * publishing, webhook deliveries) may query at any moment and would otherwise count against the request.
 */
export async function statementsOf(log: QueryLog, action: () => Promise<unknown>, tries = 3): Promise<readonly string[]> {
  let fewest: readonly string[] | undefined;
  for (let i = 0; i < tries; i++) {
    log.reset();
    await action();
    if (!fewest || log.statements.length < fewest.length) fewest = [...log.statements];
  }
  return fewest!;
}

/**
 * Resolves once the app has sent no statement for `quietMs` (at most `maxMs` of waiting): the work a request leaves
 * running after its answer (notifications gathered for 50 ms, webhooks, cache purges) is then done, and does not count
 * against the next request measured.
 */
export async function settled(log: QueryLog, quietMs = 200, maxMs = 5000): Promise<void> {
  const started = Date.now();
  do {
    log.reset();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  } while (log.statements.length > 0 && Date.now() - started < maxMs);
}
