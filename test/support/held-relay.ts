/**
 * An SMTP relay that holds every connection until released, in front of the test's sink:
 * mail queued behind it is not sent — and is then, unchanged — so a test can show that an
 * action answered before its mail went out, with no clock involved.
 */
import net from 'node:net';

export class HeldRelay {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly waiting: net.Socket[] = [];
  private held = true;
  private sinkPort = 0;
  /** Connections the relay has been asked for (a sign mail is queued behind it). */
  connections = 0;

  /** Starts in front of the sink at `sinkUrl` (smtp://127.0.0.1:PORT?tls=off); returns the relay's own URL. */
  async listen(sinkUrl: string): Promise<string> {
    this.sinkPort = Number(new URL(sinkUrl).port);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.address() as net.AddressInfo).port}?tls=off`;
  }

  private readonly open = new Set<net.Socket>();

  private accept(socket: net.Socket): void {
    this.connections++;
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    socket.on('error', () => socket.destroy());
    if (this.held) this.waiting.push(socket);
    else this.pipe(socket);
  }

  private pipe(socket: net.Socket): void {
    if (socket.destroyed) return;
    const sink = net.connect(this.sinkPort, '127.0.0.1');
    sink.on('error', () => socket.destroy());
    socket.on('close', () => sink.destroy());
    sink.on('close', () => socket.destroy());
    socket.pipe(sink).pipe(socket);
  }

  /** Lets every held and later connection through to the sink. */
  release(): void {
    this.held = false;
    for (const socket of this.waiting.splice(0)) this.pipe(socket);
  }

  async close(): Promise<void> {
    for (const socket of [...this.waiting.splice(0), ...this.open]) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
