/**
 * Reader addresses without storing them: keyed hashes of the IP and of its network (IPv4 /24, IPv6 /48) for
 * grouping and bans, and matching the raw address against configured ranges while the request is in hand.
 */
import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/** HMAC-SHA256 (hex) of the client IP keyed with the site secret; lets moderators group comments without storing IPs. */
export function hashIp(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(ip).digest('hex');
}

/** True for an IP address or a CIDR range in IPv4 or IPv6 notation. */
export function isIpRange(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

/** The network an address belongs to, as CIDR text: IPv4 /24, IPv6 /48 (IPv4-mapped IPv6 treated as IPv4). */
export function networkOf(ip: string): string | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  const parsed = ipaddr.process(ip);
  const prefix = parsed.kind() === 'ipv4' ? 24 : 48;
  const bytes = parsed.toByteArray();
  const keep = prefix / 8;
  const masked = bytes.map((byte, i) => (i < keep ? byte : 0));
  return `${ipaddr.fromByteArray(masked).toString()}/${prefix}`;
}

/** Keyed hash of the client's network (see networkOf); '' when the address does not parse. */
export function hashNetwork(secret: string, ip: string): string {
  const network = networkOf(ip);
  return network ? createHmac('sha256', secret).update(`network:${network}`).digest('hex') : '';
}

/** The first of `ranges` (IP addresses or CIDR ranges) containing `ip`, or undefined. */
export function matchingRange(ip: string, ranges: readonly string[]): string | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  const address = ipaddr.process(ip);
  return ranges.find((range) => {
    try {
      const [base, bits] = range.includes('/') ? ipaddr.parseCIDR(range) : [ipaddr.process(range), undefined];
      const candidate = base.kind() === 'ipv4' ? ipaddr.process(range.split('/')[0]!) : base;
      if (candidate.kind() !== address.kind()) return false;
      return bits === undefined ? candidate.toString() === address.toString() : address.match(candidate, bits);
    } catch {
      return false;
    }
  });
}
