import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'hang' | 'reset';

/**
 * A TCP proxy for fault tests, in front of a real server (or of nothing, for a dead host):
 * - `pass` forwards both ways;
 * - `hang` accepts connections and swallows their bytes without answering (a stalled peer, a
 *   black-holed route); connections already open stop forwarding too;
 * - `reset` answers every connection, new or open, with a TCP RST.
 * Switching back to `pass` drops connections that were hung, so clients see them end.
 */
interface Connection {
  client: Socket;
  upstream: Socket | null;
  hung: boolean;
}

export class FaultProxy {
  private mode: ProxyMode = 'pass';
  private readonly connections = new Set<Connection>();
  private server: Server | undefined;
  port = 0;
  /** Connections accepted since start. */
  accepted = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host?: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy({ host: target.host ?? '127.0.0.1', port: target.port });
    const server = createServer((socket) => proxy.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy.server = server;
    proxy.port = (server.address() as { port: number }).port;
    return proxy;
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    for (const c of [...this.connections]) {
      if (mode === 'reset') this.drop(c, true);
      else if (mode === 'hang') c.hung = true;
      else if (c.hung) this.drop(c, false);
    }
  }

  async stop(): Promise<void> {
    for (const c of [...this.connections]) this.drop(c, false);
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted++;
    client.on('error', () => undefined);
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const conn: Connection = { client, upstream: null, hung: this.mode === 'hang' };
    this.connections.add(conn);
    client.on('close', () => this.drop(conn, false));
    if (conn.hung) {
      client.resume(); // read and discard
      return;
    }
    const upstream = createConnection(this.target);
    conn.upstream = upstream;
    upstream.on('error', () => this.drop(conn, true));
    upstream.on('close', () => this.drop(conn, false));
    client.on('data', (chunk) => {
      if (!conn.hung) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!conn.hung) client.write(chunk);
    });
  }

  private drop(conn: Connection, reset: boolean): void {
    if (!this.connections.delete(conn)) return;
    if (reset) conn.client.resetAndDestroy();
    else conn.client.destroy();
    conn.upstream?.destroy();
  }
}
