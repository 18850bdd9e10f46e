/** Webhook signatures: `sha256=` + hex HMAC-SHA256 of the exact request body, keyed with the webhook's secret. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The X-Broadsheet-Signature value for `body`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when `signature` is the signature of `body` (constant-time); what a receiver does. */
export function verifySignature(secret: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A new webhook secret: 32 random bytes, hex. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}
