/**
 * A real nginx running deploy/nginx/broadsheet.conf for process tests: the committed file with its ports, cache
 * folder and log file substituted (each substitution must match, so the test follows the file), wrapped in a
 * minimal nginx.conf in a temporary prefix, as a child process in the foreground. Needs Debian's nginx and
 * libnginx-mod-http-cache-purge; without them `startNginx` throws (the test fails, it never skips).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed site configuration the tests run. */
export const NGINX_SITE_CONF = fileURLToPath(new URL('../../deploy/nginx/broadsheet.conf', import.meta.url));
/** Where Debian's libnginx-mod-http-cache-purge puts the module. */
const PURGE_MODULE = '/usr/lib/nginx/modules/ngx_http_cache_purge_module.so';
/** Debian installs nginx in /usr/sbin, which is not on every user's PATH. */
const NGINX = process.env.NGINX_BIN ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

export interface NginxOptions {
  /** `host:port` of each instance, replacing the file's upstream servers. */
  upstreams: string[];
  /** Loopback port of the public listener (the file's `listen 80`). */
  port: number;
  /** Loopback port of the purge listener (the file's `listen 127.0.0.1:8080`). */
  purgePort: number;
}

export interface Nginx {
  /** `http://127.0.0.1:<port>`: where readers go. */
  origin: string;
  /** `http://127.0.0.1:<purgePort>`: where PURGE_URL points. */
  purgeOrigin: string;
  /** The access log so far, one entry per line (the file's broadsheet_cache format). */
  accessLog(): string[];
  /** What nginx wrote to stdout and stderr (its error log). */
  output(): string;
  /** Stops nginx (SIGTERM) and deletes its prefix (cache, logs, temp files). */
  stop(): Promise<void>;
}

/** Replaces `pattern` (which must occur in the committed file) by `replacement`. */
function substitute(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`${NGINX_SITE_CONF} no longer has ${pattern}: update test/support/nginx.ts with it`);
  return text.replace(pattern, replacement);
}

/** The committed site file with `options` and `prefix` substituted; the rest is exercised as written. */
export function siteConfigFor(options: NginxOptions, prefix: string): string {
  let site = readFileSync(NGINX_SITE_CONF, 'utf8');
  const servers = options.upstreams.map((address) => `    server ${address} max_fails=1 fail_timeout=10s;`).join('\n');
  site = substitute(site, /^ {4}server 127\.0\.0\.1:3001 [^\n]*\n {4}server 127\.0\.0\.1:3002 [^\n]*$/m, servers);
  site = substitute(site, /^( {4})listen 80;$/m, `$1listen 127.0.0.1:${options.port};`);
  // The test machine may have no IPv6 loopback.
  site = substitute(site, /^ {4}listen \[::\]:80;\n/m, '');
  site = substitute(site, /^( {4})listen 127\.0\.0\.1:8080;$/m, `$1listen 127.0.0.1:${options.purgePort};`);
  site = substitute(site, /^proxy_cache_path \/var\/cache\/nginx\/broadsheet /m, `proxy_cache_path ${join(prefix, 'cache')} `);
  site = substitute(site, /^( {4})access_log \/var\/log\/nginx\/broadsheet\.access\.log /m, `$1access_log ${join(prefix, 'access.log')} `);
  return site;
}

/** The whole nginx.conf: the module, one worker, temp folders in `prefix`, and the site inside http {}. */
function mainConfigFor(site: string, prefix: string): string {
  const temp = (name: string) => join(prefix, 'temp', name);
  return [
    `load_module ${PURGE_MODULE};`,
    // As root, nginx's workers would run as nobody, who cannot write the test's private folders.
    ...(process.getuid?.() === 0 ? [`user ${userInfo().username};`] : []),
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    `  client_body_temp_path ${temp('body')};`,
    `  proxy_temp_path ${temp('proxy')};`,
    `  fastcgi_temp_path ${temp('fastcgi')};`,
    `  uwsgi_temp_path ${temp('uwsgi')};`,
    `  scgi_temp_path ${temp('scgi')};`,
    site,
    '}',
    '',
  ].join('\n');
}

/** Resolves once something accepts connections on loopback `port`; rejects after `attempts` tries 50 ms apart. */
async function waitForPort(port: number, exited: () => boolean, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts && !exited(); i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port}`);
}

/**
 * Checks the generated configuration with `nginx -t`, then runs nginx in the foreground until `stop()`. Throws when
 * nginx or the purge module is missing, or the configuration is refused (with nginx's message).
 */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  if (!existsSync(PURGE_MODULE)) throw new Error(`${PURGE_MODULE} is missing: apt-get install nginx libnginx-mod-http-cache-purge`);
  const prefix = mkdtempSync(join(tmpdir(), 'broadsheet-nginx-'));
  try {
    mkdirSync(join(prefix, 'temp'));
    mkdirSync(join(prefix, 'logs'));
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(conf, mainConfigFor(siteConfigFor(options, prefix), prefix));
    const globals = `daemon off; pid ${join(prefix, 'nginx.pid')}; error_log stderr;`;
    const args = ['-p', prefix, '-c', conf, '-g', globals];
    const check = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
    if (check.error) throw new Error(`cannot run ${NGINX} (apt-get install nginx libnginx-mod-http-cache-purge): ${check.error.message}`);
    if (check.status !== 0) throw new Error(`nginx refuses the configuration:\n${check.stderr}`);

    const child: ChildProcess = spawn(NGINX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let done = false;
    void exited.then(() => (done = true));
    try {
      await waitForPort(options.port, () => done);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}:\n${output}`);
    }
    const accessLog = join(prefix, 'access.log');
    return {
      origin: `http://127.0.0.1:${options.port}`,
      purgeOrigin: `http://127.0.0.1:${options.purgePort}`,
      accessLog: () => (existsSync(accessLog) ? readFileSync(accessLog, 'utf8').split('\n').filter(Boolean) : []),
      output: () => output,
      async stop() {
        if (!done) {
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(prefix, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
}
