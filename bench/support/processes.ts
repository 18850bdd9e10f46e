/**
 * The processes of the page benchmark: the Broadsheet server (`node dist/server.js`, the production build `npm start`
 * runs, production mode, one process), the bare node:http baseline, and the wrk load generator (load-run.ts), each a child process on
 * loopback; with the peak RSS of a live process read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, SERVER_BUNDLE } from '../../scripts/build.ts';
import { freePort } from '../../test/support/server-process.ts';
import type { LoadResult, LoadSpec } from './load-run.ts';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** Peak resident set size (VmHWM) of a live process in MB (2^20 bytes), from /proc/PID/status; NaN when unreadable. */
export function peakRssMb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Clock ticks per second of /proc/PID/stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** CPU time (user + system) a live process has used so far, in ms, from /proc/PID/stat; NaN when unreadable. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

export interface Child {
  pid: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Everything it wrote to stdout and stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node NODE_ARGS --import tsx ARGS` (without `--import tsx` when `typescript` is false: ARGS name JavaScript)
 * from the repository root with exactly `env` (plus PATH and HOME).
 */
function startChild(args: string[], env: Record<string, string>, nodeArgs: string[] = [], typescript = true): { child: ChildProcess; output(): string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeArgs, ...(typescript ? ['--import', 'tsx'] : []), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function stopper(child: ChildProcess, exited: Promise<number | null>): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
}

export interface BroadsheetServer extends Child {
  /** Milliseconds from spawn to the first 200 answer to GET /. */
  firstOkMs: number;
  /** CPU time the server had used by then, in ms (wall time minus this is time spent waiting, e.g. for a busy CPU). */
  firstOkCpuMs: number;
}

/** The production build, made once per benchmark run from the current sources (a second or two). */
let built: Promise<void> | undefined;

/**
 * Starts the production build of the server (dist/server.js, built from the current sources at the first call) on a
 * free loopback port with NODE_ENV=production, WORKERS=1, LOG_LEVEL=warn, DEMO_CONTENT=false and
 * `env` (DATABASE_URL, MEDIA_DIR, …), and resolves once GET / answers 200, polling every 5 ms. Rejects with the
 * server's output when it exits first or takes longer than 60 s. `nodeArgs` go to node (e.g. `--cpu-prof`).
 */
export async function startBroadsheet(env: Record<string, string>, nodeArgs: string[] = []): Promise<BroadsheetServer> {
  await (built ??= buildServer());
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const serverEnv = { NODE_ENV: 'production', WORKERS: '1', LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', HOST: '127.0.0.1', PORT: String(port), SITE_URL: origin, ...env };
  const { child, output, exited } = startChild([SERVER_BUNDLE], serverEnv, nodeArgs, false);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the server exited (${exitCode}) before answering:\n${output().slice(-4000)}`);
    if (performance.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer GET / with 200 within 60 s:\n${output().slice(-4000)}`);
    }
    const status = await fetch(`${origin}/`, { redirect: 'manual' }).then(
      async (response) => (await response.arrayBuffer(), response.status),
      () => 0,
    );
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { pid: child.pid!, origin, firstOkMs: performance.now() - started, firstOkCpuMs: cpuMs(child.pid!), output, stop: stopper(child, exited) };
}

/** Starts the bare node:http baseline serving the bytes of `file`; resolves once it listens. */
export async function startBaseline(file: string): Promise<Child> {
  const port = await freePort();
  const { child, output, exited } = startChild([join('bench', 'support', 'baseline-server.ts'), file, String(port)], {});
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output().includes('listening')) {
        clearInterval(check);
        resolve();
      }
    }, 5);
    void exited.then((code) => {
      clearInterval(check);
      reject(new Error(`the baseline server exited (${code}):\n${output()}`));
    });
  });
  return { pid: child.pid!, origin: `http://127.0.0.1:${port}`, output, stop: stopper(child, exited) };
}

/** Runs the load generator (load-run.ts) in its own process and returns what it measured; rejects when it fails. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const { output, exited } = startChild([join('bench', 'support', 'load-run.ts'), JSON.stringify(spec)], {});
  const code = await exited;
  const line = output().trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`the load generator failed (exit ${code}):\n${output().slice(-4000)}`);
  return JSON.parse(line) as LoadResult;
}
