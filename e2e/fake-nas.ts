import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import {
  type AttributeToSend,
  accountingRequest,
  decodePacket,
  responseAuthenticatorHolds,
} from '../src/integrations/radius/codec.js';

/** How long a NAS keeps resending one record before giving up (RouterOS: 3 tries, ~10 s in all). */
const GIVE_UP_MS = 15_000;
const RESEND_MS = 500;

/**
 * A NAS on a loopback address of its own (127.x.y.z: all of 127/8 is the loopback), sending real
 * RADIUS accounting to the server and waiting for the Accounting-Response, which the server sends
 * only once the record is committed. It resends as a NAS does: the server learns a NAS just
 * added to the settings within a few seconds, and drops its datagrams until then.
 */
export class FakeNas {
  readonly #socket: dgram.Socket;
  #identifier = randomInt(256);

  private constructor(
    socket: dgram.Socket,
    readonly address: string,
    readonly secret: string,
    readonly serverPort: number,
  ) {
    this.#socket = socket;
  }

  static async open(serverPort: number, secret: string): Promise<FakeNas> {
    const address = `127.${randomInt(20, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new FakeNas(socket, address, secret, serverPort);
  }

  /** Sends one Accounting-Request; resolves when the server answered it with a verified Accounting-Response. */
  async account(attributes: AttributeToSend[]): Promise<void> {
    this.#identifier = (this.#identifier + 1) % 256;
    const secret = Buffer.from(this.secret);
    const datagram = accountingRequest(this.#identifier, attributes, secret);
    const decoded = decodePacket(datagram);
    if (!decoded.ok) throw new Error(`the test built a packet its own codec cannot read: ${decoded.reason}`);
    const request = decoded.packet;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (response: Buffer) => {
        if (response[1] !== request.identifier || !responseAuthenticatorHolds(response, request, secret)) return;
        finish();
        resolve();
      };
      const send = () => this.#socket.send(datagram, this.serverPort, '127.0.0.1');
      const resend = setInterval(send, RESEND_MS);
      const giveUp = setTimeout(() => {
        finish();
        reject(new Error(`the server did not answer an Accounting-Request within ${GIVE_UP_MS / 1000} s`));
      }, GIVE_UP_MS);
      const finish = () => {
        clearInterval(resend);
        clearTimeout(giveUp);
        this.#socket.off('message', onMessage);
      };
      this.#socket.on('message', onMessage);
      send();
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
