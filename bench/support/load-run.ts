/**
 * The page benchmark's load generator, run in its own process (`node --import tsx bench/support/load-run.ts SPEC`):
 * autocannon against one scenario, a warm-up run and then the measured one, and one line of JSON (LoadResult) on
 * stdout. Latencies are kept per response (autocannon's own histogram has 1 ms resolution) and include every status.
 */
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { COMMENT_OPENERS, corpusSentence, prng, readCorpus } from './corpus.ts';

/** A comment POST scenario: the form of one article, filled in differently for each request. */
export interface CommentPostSpec {
  /** `/articles/:slug/comments` */
  path: string;
  /** SITE_URL, sent as the Origin header (the same-origin check). */
  origin: string;
  /** The hidden form_time value read from the article page. */
  formTime: string;
  /** The form's `_csrf` field and cookie, when the form still has them (before the caching contract). */
  csrf?: { token: string; cookie: string };
  /** Every other comment comes from one of these (approved before, so it is published); the rest from new addresses (held). */
  regulars: { name: string; email: string }[];
  /** The news corpus (JSON lines), for the comments' text. */
  corpusPath: string;
}

export interface LoadSpec {
  /** `http://127.0.0.1:PORT` */
  target: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Paths requested in turn on each connection (GET scenarios). */
  get?: string[];
  post?: CommentPostSpec;
}

export interface LoadResult {
  /** Responses in the measured run, whatever their status. */
  responses: number;
  seconds: number;
  perSecond: number;
  /** Latency percentiles in ms over every response of the measured run. */
  p50: number;
  p99: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** Responses by HTTP status in the warm-up run (its writes count too). */
  warmupStatuses: Record<string, number>;
  /** Requests sent in both runs, answered or not (some are cut off when a run ends). */
  sent: number;
  /** Requests that got no response: connection errors and timeouts (autocannon counts timeouts among its errors). */
  errors: number;
}

/**
 * Seconds a request may take before autocannon gives up on it (and counts an error). Long, so that a slow scenario
 * yields slow answers to measure rather than none: the server goes on working on a request its client gave up on.
 */
const TIMEOUT_S = 30;

function percentile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Runs autocannon once for `seconds`, with every response's latency (ms) pushed to `times` when given. */
function run(spec: LoadSpec, requests: AutocannonRequest[], seconds: number, times?: number[]): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: spec.target, connections: spec.connections, duration: seconds, timeout: TIMEOUT_S, requests }, (error, result) => (error ? reject(error) : resolve(result)));
    if (times) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  });
}

/** The requests of a comment POST scenario: author, email and text differ on every request (no duplicate refusals). */
async function commentRequests(post: CommentPostSpec): Promise<AutocannonRequest[]> {
  const corpus = await readCorpus(post.corpusPath);
  const rand = prng(process.pid);
  const runId = Date.now().toString(36);
  let n = 0;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: post.origin, ...(post.csrf ? { cookie: post.csrf.cookie } : {}) };
  const setupRequest = (request: AutocannonRequest): AutocannonRequest => {
    n++;
    const regular = n % 2 === 0 ? post.regulars[(n / 2) % post.regulars.length] : undefined;
    const fields: Record<string, string> = {
      author: regular?.name ?? `Reader ${runId} ${n}`,
      email: regular?.email ?? `reader.${runId}.${n}@bench.example.org`,
      url: '',
      comment: `${COMMENT_OPENERS[n % COMMENT_OPENERS.length]} ${corpusSentence(corpus, rand)} (${runId}-${n})`,
      comment_parent: '0',
      form_time: post.formTime,
      homepage: '',
      ...(post.csrf ? { _csrf: post.csrf.token } : {}),
    };
    return { ...request, method: 'POST', path: post.path, headers, body: new URLSearchParams(fields).toString() };
  };
  return [{ method: 'POST', path: post.path, headers, setupRequest }];
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  const requests = spec.post ? await commentRequests(spec.post) : (spec.get ?? ['/']).map((path) => ({ method: 'GET', path }));
  const byStatus = (result: AutocannonResult): Record<string, number> => Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]));
  const warmup = spec.warmupSeconds > 0 ? await run(spec, requests, spec.warmupSeconds) : undefined;
  const warmupStatuses = warmup ? byStatus(warmup) : {};
  const times: number[] = [];
  const result = await run(spec, requests, spec.durationSeconds, times);
  const sorted = Float64Array.from(times).sort();
  const statuses = byStatus(result);
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const out: LoadResult = { responses, seconds: result.duration, perSecond: responses / result.duration, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), statuses, warmupStatuses, sent: (warmup?.requests.sent ?? 0) + result.requests.sent, errors: result.errors };
  console.log(JSON.stringify(out));
}

await main();
