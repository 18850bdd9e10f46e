/**
 * A TCP proxy on a free loopback port in front of a real server (e.g. PostgreSQL on 127.0.0.1:5432), for fault tests:
 * `cut()` destroys every open connection and stops listening (new connections are refused, as from a server that is
 * down), `restore()` listens again on the same port. The server behind it is never touched.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './server-process.ts';

export interface TcpProxy {
  port: number;
  /** Ends every connection through the proxy at once and refuses new ones until `restore()`. */
  cut(): Promise<void>;
  /** Accepts connections again (on the same port). */
  restore(): Promise<void>;
  /** Connections accepted so far (including ones already ended). */
  accepted(): number;
  /** Connections open through the proxy now. */
  open(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  let accepted = 0;
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A cut connection errors on both sides; the proxy only passes that on by closing the other side.
    socket.on('error', () => {});
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        accepted += 1;
        track(client);
        clients.add(client);
        client.on('close', () => clients.delete(client));
        const upstream = connect(target.port, target.host);
        track(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        server = s;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await listen();
  return {
    port,
    cut: stop,
    async restore() {
      if (!server) await listen();
    },
    accepted: () => accepted,
    open: () => clients.size,
    close: stop,
  };
}
