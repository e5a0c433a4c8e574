import net from 'node:net';

/** Whether something accepts TCP connections on host:port. */
export function isPortServed(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (served: boolean): void => {
      socket.destroy();
      resolve(served);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
