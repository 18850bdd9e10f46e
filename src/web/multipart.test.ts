/** registerMultipart: multipart bodies still parse, Node's FormData is back after, and registering loads no undici. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fromRoot } from '../lib/root.ts';

// In a fresh process: the test runner or another test may already have loaded undici in this one.
const SCRIPT = `
import Fastify from 'fastify';
import { registerMultipart } from ${JSON.stringify(fromRoot('src', 'web', 'multipart.ts'))};
const undiciLoaded = () => process.moduleLoadList.some((name) => name.includes('undici'));
const app = Fastify();
await registerMultipart(app, { attachFieldsToBody: 'keyValues' });
app.post('/form', async (request) => request.body);
await app.ready();
const loadedByRegistering = undiciLoaded();
const boundary = 'xBOUNDARYx';
const payload = ['--' + boundary, 'Content-Disposition: form-data; name="alt"', '', 'Harbour at dusk', '--' + boundary + '--', ''].join('\\r\\n');
const response = await app.inject({ method: 'POST', url: '/form', payload, headers: { 'content-type': 'multipart/form-data; boundary=' + boundary } });
console.log(JSON.stringify({ loadedByRegistering, formData: typeof new FormData().append, status: response.statusCode, body: response.json() }));
`;

test('registerMultipart parses multipart bodies without loading undici, and leaves FormData as it was', () => {
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: fromRoot(), encoding: 'utf8' });
  const result = JSON.parse(output.trim().split('\n').pop()!) as { loadedByRegistering: boolean; formData: string; status: number; body: unknown };
  assert.equal(result.loadedByRegistering, false);
  assert.equal(result.formData, 'function');
  assert.equal(result.status, 200);
  assert.deepEqual(result.body, { alt: 'Harbour at dusk' });
});
