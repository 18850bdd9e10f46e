/**
 * Where webhooks may point (SSRF defence): http(s) URLs without credentials, and — unless WEBHOOKS_ALLOW_PRIVATE
 * is set — only public unicast addresses. Names are checked when they resolve, at connection time (see
 * guardedLookup), so a name that later resolves to 127.0.0.1 or 10.x is refused too.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Longest webhook URL accepted, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** True for a public unicast IP address; false for loopback, private, link-local, CGNAT, multicast, reserved and the like. */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it carries.
  return ipaddr.process(ip).range() === 'unicast';
}

/** The host of a URL as an IP literal (brackets of IPv6 removed), or undefined for a name. */
export function ipLiteralOf(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}

/** Why `raw` cannot be a webhook URL, or undefined when it can. `allowPrivate` admits loopback and private targets. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  if (!raw) return 'Enter the URL to send events to.';
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `Use at most ${MAX_WEBHOOK_URL_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter a full address starting with https:// or http://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http:// and https:// addresses can receive webhooks.';
  if (url.username || url.password) return 'Leave user names and passwords out of the address; verify requests with the signature instead.';
  if (!url.hostname) return 'The address has no host name.';
  if (allowPrivate) return undefined;
  const literal = ipLiteralOf(url);
  const host = url.hostname.toLowerCase();
  if ((literal && !isPublicAddress(literal)) || host === 'localhost' || host.endsWith('.localhost')) {
    return 'This address is on a private or local network; webhooks go only to public addresses unless WEBHOOKS_ALLOW_PRIVATE=true.';
  }
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup replacement for http(s).request that refuses names resolving to any non-public address, so the
 * address checked is the address connected to (no DNS rebinding between check and use).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked || !addresses.length) {
      const refused = Object.assign(new Error(`${hostname} resolves to a non-public address (${blocked?.address ?? 'none'}); set WEBHOOKS_ALLOW_PRIVATE=true to allow`), { code: 'EWEBHOOKPRIVATE' });
      return callback(refused, '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
