import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a server, to make it misbehave without touching it:
 * `freeze()` stops passing bytes either way (a server stopped with SIGSTOP), `stop()` refuses
 * and drops every connection (a server that is down).
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      const pipe = (from: net.Socket, to: net.Socket): void => {
        from.on('data', (chunk: Buffer) => {
          if (!this.frozen) to.write(chunk);
        });
        from.on('close', () => to.destroy());
      };
      pipe(client, upstream);
      pipe(upstream, client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Bytes are swallowed from now on: connections stay open and nothing answers. */
  freeze(): void {
    this.frozen = true;
  }

  /** Closes the listener and every connection. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A postgres:// URL like `url`, pointing at this proxy. */
  urlFor(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }
}
