import net from 'node:net';

export type RawOutcome = {
  /** The status line's code, or null when the server closed without answering. */
  status: number | null;
  /** The whole response as received (head and body). */
  response: string;
  /** When the server ended or reset the connection, from the first byte written. */
  elapsedMs: number;
  /** Whether the server closed the connection (false: the client gave up waiting). */
  closedByServer: boolean;
};

/**
 * One HTTP/1.1 request over a raw socket, so a test can do what fetch refuses to: lie about the
 * length, stop half way, or trickle bytes (`byteDelayMs` for the body, `headDelayMs` for the head).
 * Resolves when the server closes the connection, or after `giveUpMs` with closedByServer false.
 */
export function rawRequest(
  url: string,
  options: {
    head: string;
    body?: Buffer;
    byteDelayMs?: number;
    headDelayMs?: number;
    /** Half-close after writing, as a client that gave up mid-body does. */
    endEarly?: boolean;
    giveUpMs: number;
  },
): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const started = Date.now();
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      resolve({
        status: status ? Number(status) : null,
        response,
        elapsedMs: Date.now() - started,
        closedByServer,
      });
    };
    const giveUp = setTimeout(() => finish(false), options.giveUpMs);
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    const write = (bytes: Buffer, delayMs: number | undefined, then: () => void) => {
      if (delayMs === undefined) {
        socket.write(bytes);
        return then();
      }
      let i = 0;
      const next = () => {
        if (done) return;
        if (i >= bytes.length) return then();
        socket.write(bytes.subarray(i, i + 1));
        i++;
        timer = setTimeout(next, delayMs);
      };
      next();
    };
    socket.once('connect', () =>
      write(Buffer.from(options.head, 'latin1'), options.headDelayMs, () =>
        write(options.body ?? Buffer.alloc(0), options.byteDelayMs, () => {
          if (options.endEarly) socket.end();
        }),
      ),
    );
  });
}
