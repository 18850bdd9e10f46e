/** Multipart form bodies (image uploads, imports): @fastify/multipart, registered without loading Node's fetch at start. */
import fastifyMultipart, { type FastifyMultipartAttachFieldsToBodyOptions } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { hidingGlobal } from '../lib/lazy-globals.ts';

/**
 * Registers @fastify/multipart with `options` on `app`. While registering, the plugin reads `globalThis.FormData` to
 * offer `request.formData()`, and that global is one of Node's lazy getters: its first read loads undici, Node's
 * fetch implementation (lib/lazy-globals.ts). So the global reads as
 * undefined while the plugin registers and Node's getter is put back after: `request.formData()` then rejects with
 * FST_NO_FORM_DATA; handlers read the fields attached to `request.body` (`attachFieldsToBody`) instead.
 */
export async function registerMultipart(app: FastifyInstance, options: FastifyMultipartAttachFieldsToBodyOptions): Promise<void> {
  await hidingGlobal('FormData', async () => {
    await app.register(fastifyMultipart, options);
  });
}
