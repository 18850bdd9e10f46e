/**
 * The page benchmark's baseline (`node --import tsx bench/support/baseline-server.ts FILE PORT`): a bare node:http
 * server answering every request with the bytes of FILE, read once into memory, as text/html. Prints "listening"
 * once it accepts connections.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [file, port] = process.argv.slice(2);
if (!file || !port) {
  console.error('usage: node --import tsx bench/support/baseline-server.ts FILE PORT');
  process.exit(2);
}
const body = readFileSync(file);
const headers = { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) };
const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
