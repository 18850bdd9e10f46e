/** Typed configuration read once from environment variables at boot; one options table, validated with clear errors. */
import { availableParallelism } from 'node:os';
import { isIpRange } from './comments/network.ts';

/** Thrown when an environment variable has a value Broadsheet cannot use; `variable` names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface DatabaseTarget {
  dialect: 'sqlite' | 'postgres';
  /** File path for SQLite (`:memory:` allowed), connection string for PostgreSQL. */
  location: string;
}

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  siteName: string;
  /** Absolute public origin without trailing slash, e.g. `https://news.example.com`. */
  siteUrl: string;
  demoContent: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Language of the publication, BCP 47 (e.g. `en`, `en-GB`). */
  siteLanguage: string;
  /** Article slugs in ASCII (transliterated) or keeping the letters of every script. */
  slugs: 'ascii' | 'unicode';
  /** Folder for uploaded media (local disk storage). */
  mediaDir: string;
  /** Feeds carry each article's full text, or only its summary (dek or first paragraph). */
  feedContent: 'full' | 'excerpt';
  /** Article URLs per sitemap file (sitemaps.org allows at most 50,000 and 50 MB). */
  sitemapPageSize: number;
  /** SMTP server for account mail (`smtp://user:pass@host:587`, `smtps://…`); undefined → mail is written to the log. */
  smtpUrl: string | undefined;
  /** Sender of account mail, e.g. `The World News <newsroom@example.com>`. */
  mailFrom: string;
  /** IANA time zone in which dates are printed, e.g. `UTC`, `Europe/London`. Stored times are always UTC. */
  siteTimeZone: string;
  /** Redis shared by every instance (comment rate limits); undefined → kept in this process's memory. */
  redisUrl: string | undefined;
  /** Akismet API key; undefined → no third-party spam check (the default). */
  akismetApiKey: string | undefined;
  /** Proxies whose X-Forwarded-For is believed (Fastify trustProxy): addresses, CIDR ranges or proxy-addr presets; false → none. */
  trustProxy: string[] | false;
  /** Akismet REST endpoint origin (tests point it at a local server). */
  akismetUrl: string;
  /** Let webhooks reach loopback and private-network addresses (off: only public addresses, against SSRF). */
  webhooksAllowPrivate: boolean;
  /** Bearer token required by GET /metrics; undefined → /metrics is served to loopback clients only. */
  metricsToken: string | undefined;
  /** Processes serving the site (node:cluster); 1 → this process serves, without a cluster. */
  workers: number;
  /** PostgreSQL connections per process (pg.Pool max). */
  databasePoolSize: number;
  /** A PostgreSQL read replica for the reader pages' read-only queries; undefined → everything uses `database`. */
  readDatabase: DatabaseTarget | undefined;
  /** Memory for the in-process rendered-page cache, in bytes; 0 → no page cache. */
  pageCacheBytes: number;
  /** How long shared caches (CDN, nginx) may keep an anonymous page, in seconds (s-maxage); 0 → not at all. */
  sharedCacheSeconds: number;
  /** Where purge requests go on publish, update, unpublish and comment changes; undefined → no purge requests. */
  purgeUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

interface Option<K extends keyof Config> {
  key: K;
  variable: string;
  /** Value used when the variable is unset or empty; a function may derive it from earlier options. */
  fallback: string | ((partial: Partial<Config>) => string);
  parse: (raw: string, variable: string) => Config[K];
  description: string;
}

function option<K extends keyof Config>(o: Option<K>): Option<K> {
  return o;
}

function parsePort(raw: string, variable: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError(variable, `expected a TCP port number between 0 and 65535, got "${raw}"`);
  }
  return port;
}

/** Parser of a whole number from `min` to `max`; `what` names the unit in the error. */
function wholeNumber(min: number, max: number, what: string) {
  return (raw: string, variable: string): number => {
    const value = Number(raw.trim());
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new ConfigError(variable, `expected ${what} from ${min} to ${max}, got "${raw}"`);
    return value;
  };
}

function parseBoolean(raw: string, variable: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(variable, `expected true or false, got "${raw}"`);
}

/**
 * Parses `DATABASE_URL`: `sqlite:PATH`, `sqlite://PATH`, a bare file path (SQLite),
 * or `postgres://` / `postgresql://` (PostgreSQL). Throws ConfigError otherwise.
 */
export function parseDatabaseUrl(raw: string, variable = 'DATABASE_URL'): DatabaseTarget {
  const value = raw.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(variable, `"${value}" is not a valid PostgreSQL connection URL`);
    }
    return { dialect: 'postgres', location: value };
  }
  if (/^(sqlite|file):/i.test(value)) {
    const location = value.replace(/^(sqlite|file):(\/\/)?/i, '');
    if (!location) throw new ConfigError(variable, 'sqlite: needs a file path, e.g. sqlite:./data/broadsheet.db');
    return { dialect: 'sqlite', location };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) {
    throw new ConfigError(variable, `unsupported database "${value.split(':')[0]}"; use sqlite:PATH or postgres://…`);
  }
  return { dialect: 'sqlite', location: value };
}

function parseSiteUrl(raw: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, `expected an absolute http(s) URL such as https://news.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, `expected an http or https URL, got "${raw}"`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Parser of an optional server URL with scheme `scheme` or its TLS form (`scheme`s); '' → undefined. */
function optionalServerUrl(scheme: 'smtp' | 'redis') {
  return (raw: string, variable: string): string | undefined => {
    if (!raw) return undefined;
    if (!new RegExp(`^${scheme}s?://[^/]`, 'i').test(raw)) throw new ConfigError(variable, `expected ${scheme}://host:port or ${scheme}s://user:password@host:port`);
    return raw;
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The options table: one line per environment variable, in the order they are resolved. */
export const OPTIONS = [
  option({ key: 'port', variable: 'PORT', fallback: '3000', parse: parsePort, description: 'TCP port to listen on' }),
  option({ key: 'host', variable: 'HOST', fallback: '127.0.0.1', parse: (raw) => raw, description: 'Interface to bind' }),
  option({
    key: 'database',
    variable: 'DATABASE_URL',
    fallback: 'sqlite:./data/broadsheet.db',
    parse: parseDatabaseUrl,
    description: '`sqlite:PATH` (or a bare path) for SQLite, `postgres://…` for PostgreSQL',
  }),
  option({ key: 'siteName', variable: 'SITE_NAME', fallback: 'The World News', parse: (raw) => raw.trim(), description: 'Name of the publication' }),
  option({
    key: 'siteUrl',
    variable: 'SITE_URL',
    fallback: (p) => {
      const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(p.host ?? '') ? 'localhost' : (p.host ?? 'localhost');
      return `http://${host.includes(':') ? `[${host}]` : host}:${p.port}`;
    },
    parse: parseSiteUrl,
    description: 'Public origin used in absolute links (defaults to http://HOST:PORT)',
  }),
  option({ key: 'demoContent', variable: 'DEMO_CONTENT', fallback: 'true', parse: parseBoolean, description: 'Load demo articles into an empty database' }),
  option({
    key: 'siteLanguage',
    variable: 'SITE_LANGUAGE',
    fallback: 'en',
    parse: (raw, variable) => {
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(raw)) throw new ConfigError(variable, `expected a BCP 47 language tag such as en or en-GB, got "${raw}"`);
      return raw;
    },
    description: 'Language of the publication (BCP 47)',
  }),
  option({
    key: 'siteTimeZone',
    variable: 'SITE_TIMEZONE',
    fallback: 'UTC',
    parse: (raw, variable) => {
      try {
        return new Intl.DateTimeFormat('en', { timeZone: raw }).resolvedOptions().timeZone;
      } catch {
        throw new ConfigError(variable, `unknown time zone "${raw}"; use an IANA name such as UTC or Europe/London`);
      }
    },
    description: 'Time zone for printed dates (IANA name)',
  }),
  option({
    key: 'slugs',
    variable: 'SLUGS',
    fallback: 'ascii',
    parse: (raw, variable) => {
      const value = raw.trim().toLowerCase();
      if (value !== 'ascii' && value !== 'unicode') throw new ConfigError(variable, `expected ascii or unicode, got "${raw}"`);
      return value;
    },
    description: 'Article slugs: ascii (transliterated) or unicode',
  }),
  option({ key: 'mediaDir', variable: 'MEDIA_DIR', fallback: './data/media', parse: (raw) => raw.trim(), description: 'Folder for uploaded images' }),
  option({
    key: 'feedContent',
    variable: 'FEED_CONTENT',
    fallback: 'full',
    parse: (raw, variable) => {
      const value = raw.trim().toLowerCase();
      if (value !== 'full' && value !== 'excerpt') throw new ConfigError(variable, `expected full or excerpt, got "${raw}"`);
      return value;
    },
    description: 'Feeds carry full article text (full) or summaries (excerpt)',
  }),
  option({
    key: 'sitemapPageSize',
    variable: 'SITEMAP_PAGE_SIZE',
    fallback: '5000',
    parse: (raw, variable) => {
      const size = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || size < 1 || size > 50_000) throw new ConfigError(variable, `expected a number of URLs from 1 to 50000, got "${raw}"`);
      return size;
    },
    description: 'Article URLs per sitemap file (at most 50,000)',
  }),
  option({
    key: 'smtpUrl',
    variable: 'SMTP_URL',
    fallback: '',
    parse: optionalServerUrl('smtp'),
    description: 'SMTP server for account mail; unset writes mail to the log',
  }),
  option({
    key: 'mailFrom',
    variable: 'MAIL_FROM',
    fallback: (p) => `${p.siteName} <no-reply@${new URL(p.siteUrl ?? 'http://localhost').hostname}>`,
    parse: (raw) => raw.trim(),
    description: 'Sender address of account mail',
  }),
  option({
    key: 'redisUrl',
    variable: 'REDIS_URL',
    fallback: '',
    parse: optionalServerUrl('redis'),
    description: 'Redis shared by all instances (comment rate limits); unset keeps them in memory',
  }),
  option({
    key: 'trustProxy',
    variable: 'TRUST_PROXY',
    fallback: '',
    parse: (raw, variable) => {
      const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
      if (!entries.length) return false;
      const presets = ['loopback', 'linklocal', 'uniquelocal'];
      const bad = entries.filter((e) => !presets.includes(e) && !isIpRange(e));
      if (bad.length) throw new ConfigError(variable, `expected IP addresses, CIDR ranges or loopback/linklocal/uniquelocal, separated by commas; not understood: ${bad.join(', ')}`);
      return entries;
    },
    description: 'Reverse proxies (IPs, CIDR ranges, or loopback) whose X-Forwarded-For gives the reader\'s address',
  }),
  option({
    key: 'akismetApiKey',
    variable: 'AKISMET_API_KEY',
    fallback: '',
    parse: (raw, variable) => {
      if (!raw) return undefined;
      if (!/^[a-z0-9]{8,64}$/i.test(raw.trim())) throw new ConfigError(variable, 'expected an Akismet API key (letters and digits)');
      return raw.trim();
    },
    description: 'Akismet API key; unset sends no comment data to a third party',
  }),
  option({ key: 'akismetUrl', variable: 'AKISMET_URL', fallback: 'https://rest.akismet.com', parse: parseSiteUrl, description: 'Akismet REST endpoint' }),
  option({
    key: 'webhooksAllowPrivate',
    variable: 'WEBHOOKS_ALLOW_PRIVATE',
    fallback: 'false',
    parse: parseBoolean,
    description: 'Let webhooks reach loopback and private-network addresses (development, tests, internal receivers)',
  }),
  option({
    key: 'metricsToken',
    variable: 'METRICS_TOKEN',
    fallback: '',
    parse: (raw, variable) => {
      const token = raw.trim();
      if (!token) return undefined;
      if (!/^[A-Za-z0-9._~+/=-]{16,}$/.test(token)) throw new ConfigError(variable, 'expected at least 16 characters of letters, digits and ._~+/=- (e.g. from `openssl rand -hex 32`)');
      return token;
    },
    description: 'Bearer token for GET /metrics; unset serves /metrics to loopback clients only',
  }),
  option({
    key: 'workers',
    variable: 'WORKERS',
    // One process per CPU in production, one in development and tests.
    fallback: () => (process.env.NODE_ENV === 'production' ? 'auto' : '1'),
    parse: (raw, variable) => {
      const value = raw.trim().toLowerCase();
      if (value === 'auto') return availableParallelism();
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) throw new ConfigError(variable, `expected a number of processes from 1 to 256, or auto (one per CPU), got "${raw}"`);
      return Number(value);
    },
    description: 'Processes serving the site: a number, or auto for one per CPU; 1 runs without a cluster',
  }),
  option({
    key: 'databasePoolSize',
    variable: 'DATABASE_POOL_SIZE',
    fallback: '10',
    parse: wholeNumber(1, 1000, 'a number of connections'),
    description: 'PostgreSQL connections per process',
  }),
  option({
    key: 'readDatabase',
    variable: 'DATABASE_READ_URL',
    fallback: '',
    parse: (raw, variable) => {
      if (!raw.trim()) return undefined;
      const target = parseDatabaseUrl(raw, variable);
      if (target.dialect !== 'postgres') throw new ConfigError(variable, 'expected a postgres:// URL of a read replica (SQLite has no replicas)');
      return target;
    },
    description: 'PostgreSQL read replica for the reader pages\' queries (optional)',
  }),
  option({
    key: 'pageCacheBytes',
    variable: 'PAGE_CACHE_MB',
    fallback: '64',
    parse: (raw, variable) => wholeNumber(0, 65_536, 'a size in MB')(raw, variable) * 1024 * 1024,
    description: 'Memory for the in-process rendered-page cache, in MB; 0 turns it off',
  }),
  option({
    key: 'sharedCacheSeconds',
    variable: 'SHARED_CACHE_SECONDS',
    fallback: '60',
    parse: wholeNumber(0, 31_536_000, 'a number of seconds'),
    description: 'How long a CDN or proxy may keep an anonymous page (s-maxage); 0: not at all',
  }),
  option({
    key: 'purgeUrl',
    variable: 'PURGE_URL',
    fallback: '',
    parse: (raw, variable) => {
      if (!raw.trim()) return undefined;
      if (!/^https?:\/\/[^/]/i.test(raw.trim())) throw new ConfigError(variable, 'expected an http(s) URL, e.g. http://127.0.0.1:8080/purge{path} or http://varnish.internal/');
      return raw.trim();
    },
    description: 'Purge endpoint of a CDN or proxy cache, told on publish, update, unpublish and comment changes',
  }),
  option({
    key: 'logLevel',
    variable: 'LOG_LEVEL',
    fallback: 'info',
    parse: (raw, variable) => {
      const level = raw.toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(variable, `expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      return level as Config['logLevel'];
    },
    description: 'pino log level',
  }),
] as const;

/**
 * Builds the Config from an environment map (default `process.env`).
 * Throws ConfigError naming the first invalid variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const partial: Partial<Config> = {};
  for (const o of OPTIONS) {
    const given = env[o.variable];
    const raw = given !== undefined && given.trim() !== '' ? given : typeof o.fallback === 'function' ? o.fallback(partial) : o.fallback;
    (partial as Record<string, unknown>)[o.key] = o.parse(raw, o.variable);
  }
  return partial as Config;
}
