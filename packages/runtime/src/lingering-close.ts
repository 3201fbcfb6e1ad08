import type { Socket } from 'node:net';

/** How long a closing connection keeps reading after its last answer was sent. */
export const LINGER_MS = 5_000;
/** How much it reads in that time before it gives up on the client and resets. */
export const LINGER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Closes connections in stages, as RFC 9112 §9.6 asks of a server that answers before it has read the
 * whole request (a refusal of an oversized body, say): send the answer and a FIN, then keep reading and
 * discarding until the client closes its side, for at most LINGER_MS / LINGER_MAX_BYTES.
 *
 * Why: a socket closed with unread bytes in its receive buffer goes out as a TCP reset, and a client still
 * sending its body (or one slow to read, on a loaded machine) then loses the answer it was sent; it sees
 * "connection reset" instead of our 400. Both @hono/node-server (after draining for only 500 ms) and
 * Node's HTTP server (for `Connection: close`) end connections through `socket.destroySoon()`, so that
 * is the one place to change: per socket, for the sockets of our own servers.
 */
export function closeLingering(socket: Socket, limits = { ms: LINGER_MS, maxBytes: LINGER_MAX_BYTES }): void {
  let lingering = false;
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    if (this.destroyed) return;
    // A second call (the drain's byte cap, or a timeout) means we already waited long enough.
    if (lingering) return void this.destroy();
    lingering = true;
    const readAtStart = this.bytesRead;
    const done = () => {
      clearInterval(watch);
      this.destroy();
    };
    const watch = setInterval(() => {
      if (this.bytesRead - readAtStart > limits.maxBytes) done();
    }, 100);
    watch.unref();
    const deadline = setTimeout(done, limits.ms);
    deadline.unref();
    this.once('close', () => {
      clearInterval(watch);
      clearTimeout(deadline);
    });
    // The client closed its side: nothing more can arrive, so closing now sends no reset.
    if (this.readableEnded) this.once('finish', done);
    else this.once('end', done);
    this.end();
    this.resume();
  };
}
