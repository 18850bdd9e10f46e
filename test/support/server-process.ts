/** The server from its sources (`node --import tsx src/server.ts`; `npm start` runs the same code built into dist/) as a child process on a free loopback port, for process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A loopback TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  /** Everything written to stdout and stderr so far (JSON log lines). */
  output(): string;
  /** Resolves once the output contains `text` (rejects if the process exits first). */
  waitForOutput(text: string | RegExp): Promise<void>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts the server with `env` added; resolves once it logs that it listens (so LOG_LEVEL is always info). */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of watchers) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForOutput = (text: string | RegExp) =>
    new Promise<void>((resolve, reject) => {
      const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      const check = () => {
        if (!found()) return;
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
      check();
      void exited.then((code) => {
        if (!found()) reject(new Error(`server exited with ${code} before writing ${text}:\n${output}`));
      });
    });
  await waitForOutput(' is on http');
  return { child, origin: `http://127.0.0.1:${port}`, output: () => output, waitForOutput, exited };
}

/** Runs the server with `env` added, expecting it to stop before it listens; resolves with its exit code and output (throws if it listened). */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes(' is on http')) child.kill('SIGTERM');
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (output.includes(' is on http')) throw new Error(`the server started:\n${output}`);
  return { code, output };
}
