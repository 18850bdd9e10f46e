/** Multipart form bodies (image uploads, imports): @fastify/multipart, registered without loading Node's fetch at start. */
import fastifyMultipart, { type FastifyMultipartAttachFieldsToBodyOptions } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

/**
 * Registers @fastify/multipart with `options` on `app`. While registering, the plugin reads `globalThis.FormData` to
 * offer `request.formData()`, and that global is one of Node's lazy getters: its first read loads undici, Node's
 * fetch implementation, about 40 ms of CPU at every start (and nothing a page needs). So the global reads as
 * undefined while the plugin registers and Node's getter is put back after: `request.formData()` then rejects with
 * FST_NO_FORM_DATA; handlers read the fields attached to `request.body` (`attachFieldsToBody`) instead.
 */
export async function registerMultipart(app: FastifyInstance, options: FastifyMultipartAttachFieldsToBodyOptions): Promise<void> {
  const formData = Object.getOwnPropertyDescriptor(globalThis, 'FormData');
  Object.defineProperty(globalThis, 'FormData', { value: undefined, configurable: true, writable: true });
  try {
    await app.register(fastifyMultipart, options);
  } finally {
    if (formData) Object.defineProperty(globalThis, 'FormData', formData);
    else delete (globalThis as { FormData?: unknown }).FormData;
  }
}
