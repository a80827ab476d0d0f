import dgram from 'node:dgram';

/** A UDP port free on loopback now: for a RADIUS listener or server a test or bench starts. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = dgram.createSocket('udp4');
    probe.unref();
    probe.on('error', reject);
    probe.bind(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
