/** The newsroom session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS, living no longer than the session. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_POLICY } from './accounts.ts';
import type { CookieSecure } from '../web/security-headers.ts';

export const SESSION_COOKIE = 'bs_session';

export function readSessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE] || undefined;
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: CookieSecure): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: Math.floor(SESSION_POLICY.absoluteMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, secure: CookieSecure): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
