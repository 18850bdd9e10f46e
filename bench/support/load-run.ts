/**
 * The page benchmark's load generator (`node --import tsx bench/support/load-run.ts SPEC`): wrk (Debian package `wrk`,
 * a C load generator driven by a Lua script) against one scenario, a warm-up run and then the measured one, printing
 * one line of JSON (LoadResult) on stdout. wrk rather than autocannon because autocannon, itself JavaScript, saturated
 * before the server did: it held a bare node:http server to ~4,300 req/s on this 2-core machine where wrk drives it to
 * ~31,000, so ratios to that baseline measured the client. wrk's latencies are per response in µs, over every status.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMENT_OPENERS, corpusSentence, prng, readCorpus } from './corpus.ts';

/** A comment POST scenario: the form of one article, filled in differently for each request. */
export interface CommentPostSpec {
  /** `/articles/:slug/comments` */
  path: string;
  /** SITE_URL, sent as the Origin header (the same-origin check). */
  origin: string;
  /** The hidden form_time value read from the article page. */
  formTime: string;
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
  /** Requests written in both runs, answered or not (some are cut off when a run ends). */
  sent: number;
  /** Requests that got no response: connection errors (connect, read, write) and timeouts. */
  errors: number;
}

/**
 * Seconds a request may take before wrk gives up on it (and counts a timeout). Long, so that a slow scenario yields
 * slow answers to measure rather than none: the server goes on working on a request its client gave up on.
 */
const TIMEOUT_S = 30;

/** Comment texts prepared per run; each request adds its own counter, so no two are the same. */
const COMMENT_POOL = 2_000;

const lua = (value: string): string => JSON.stringify(value); // a JSON string of ASCII is a valid Lua string literal

/**
 * Lua shared by every scenario: counts responses by status and requests written per wrk thread, and prints them with
 * the latency percentiles as one JSON line when the run ends (wrk's `done`, which sees each thread through `thread:get`).
 */
const COMMON_LUA = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
statuses = {}
sent = 0
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total, written = {}, 0
  for _, thread in ipairs(threads) do
    written = written + thread:get("sent")
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, string.format('"%d":%d', status, count)) end
  local e = summary.errors
  io.write(string.format('RESULT {"responses":%d,"us":%d,"p50":%.3f,"p99":%.3f,"sent":%d,"errors":%d,"statuses":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000, written,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
`;

/** Lua for GET scenarios: the paths in turn on each connection. */
function getScript(paths: string[]): string {
  return `${COMMON_LUA}
local paths = {${paths.map(lua).join(',')}}
local requests = {}
local n = 0
-- Formatted in init, after wrk has put the Host header into wrk.headers (at load time it is not there yet).
function init(args)
  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path) end
end
function request()
  n = n + 1
  sent = sent + 1
  return requests[(n - 1) % #requests + 1]
end
`;
}

/**
 * Lua for the comment POST scenario: author, email and text differ on every request (no duplicate refusals); every
 * other comment comes from a regular reader. Texts are URL-encoded here; Lua only appends ASCII counters.
 */
async function postScript(post: CommentPostSpec): Promise<string> {
  const corpus = await readCorpus(post.corpusPath);
  const rand = prng(process.pid);
  const runId = Date.now().toString(36);
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  const texts = Array.from({ length: COMMENT_POOL }, (_, i) => encode(`${COMMENT_OPENERS[i % COMMENT_OPENERS.length]} ${corpusSentence(corpus, rand)} (${runId}-`));
  const regulars = post.regulars.map((r) => `author=${encode(r.name)}&email=${encode(r.email)}`);
  const fixed = `&url=&comment_parent=0&homepage=&form_time=${encode(post.formTime)}`;
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: post.origin };
  return `${COMMON_LUA}
local texts = {${texts.map(lua).join(',\n')}}
local regulars = {${regulars.map(lua).join(',')}}
local headers = {${Object.entries(headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')}}
local run_label = "r"
local n = 0
function init(args) run_label = args[1] or "r" end
function request()
  n = n + 1
  sent = sent + 1
  local id = run_label .. "-" .. n
  local who
  if n % 2 == 0 then who = regulars[(n / 2) % #regulars + 1]
  else who = "author=Reader+${runId}+" .. id .. "&email=reader.${runId}." .. id .. "%40bench.example.org" end
  local body = who .. "&comment=" .. texts[n % #texts + 1] .. id .. ")${fixed}"
  return wrk.format("POST", ${lua(post.path)}, headers, body)
end
`;
}

interface WrkRun {
  responses: number;
  us: number;
  p50: number;
  p99: number;
  sent: number;
  errors: number;
  statuses: Record<string, number>;
}

/** Runs wrk once, `label` telling the run's requests apart from another run's (one thread: the server under test is one process, and the machine has two cores). */
function runWrk(target: string, connections: number, seconds: number, script: string, label: string): Promise<WrkRun> {
  return new Promise((resolve, reject) => {
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, `--timeout`, `${TIMEOUT_S}s`, '-s', script, target, '--', label];
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run wrk (apt-get install -y wrk): ${error.message}`)));
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`wrk failed (exit ${code}):\n${output.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as WrkRun);
    });
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  const dir = await mkdtemp(join(tmpdir(), 'broadsheet-wrk-'));
  try {
    const script = join(dir, 'scenario.lua');
    await writeFile(script, spec.post ? await postScript(spec.post) : getScript(spec.get ?? ['/']));
    const warmup = spec.warmupSeconds > 0 ? await runWrk(spec.target, spec.connections, spec.warmupSeconds, script, 'w') : undefined;
    const result = await runWrk(spec.target, spec.connections, spec.durationSeconds, script, 'm');
    const seconds = result.us / 1e6;
    const out: LoadResult = {
      responses: result.responses,
      seconds,
      perSecond: result.responses / seconds,
      p50: result.p50,
      p99: result.p99,
      statuses: result.statuses,
      warmupStatuses: warmup?.statuses ?? {},
      sent: (warmup?.sent ?? 0) + result.sent,
      errors: result.errors,
    };
    console.log(JSON.stringify(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
