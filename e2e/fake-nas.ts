import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  type AttributeToSend,
  accountingRequest,
  decodePacket,
  encodeAttribute,
  type RadiusPacket,
  requestAuthenticatorHolds,
  responseAuthenticatorHolds,
} from '../src/integrations/radius/codec.js';
import { signedAnswer } from '../src/testing/coa-nas.js';

/** How long a NAS keeps resending one record before giving up (RouterOS: 3 tries, ~10 s in all). */
const GIVE_UP_MS = 15_000;
const RESEND_MS = 500;

/** How the NAS answers the next Disconnect-Request or CoA-Request: ACK, or NAK with this Error-Cause. */
export type DynamicAuthorizationAnswer = { ack: true } | { ack: false; errorCause: number };

const bound = (address: string) =>
  new Promise<dgram.Socket>((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });

/**
 * A NAS on a loopback address of its own (127.x.y.z: all of 127/8 is the loopback), sending real
 * RADIUS accounting to the server and waiting for the Accounting-Response, which the server sends
 * only once the record is committed. It resends as a NAS does: the server learns a NAS just
 * added to the settings within a few seconds, and drops its datagrams until then. On `coaPort`
 * it answers RFC 5176's Disconnect and CoA requests that verify under its secret.
 */
export class FakeNas {
  readonly #socket: dgram.Socket;
  readonly #dynamicAuthorization: dgram.Socket;
  #identifier = randomInt(256);
  /** The requests the server sent to `coaPort`, verified or not. */
  readonly requests: { packet: RadiusPacket; verified: boolean }[] = [];
  answer: DynamicAuthorizationAnswer = { ack: true };

  private constructor(
    socket: dgram.Socket,
    dynamicAuthorization: dgram.Socket,
    readonly address: string,
    readonly secret: string,
    readonly serverPort: number,
  ) {
    this.#socket = socket;
    this.#dynamicAuthorization = dynamicAuthorization;
    dynamicAuthorization.on('message', (datagram, from) => this.#answer(datagram, from));
  }

  static async open(serverPort: number, secret: string): Promise<FakeNas> {
    const address = `127.${randomInt(20, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    return new FakeNas(await bound(address), await bound(address), address, secret, serverPort);
  }

  get coaPort(): number {
    return (this.#dynamicAuthorization.address() as AddressInfo).port;
  }

  #answer(datagram: Buffer, from: dgram.RemoteInfo) {
    const decoded = decodePacket(datagram);
    if (!decoded.ok) return;
    const secret = Buffer.from(this.secret);
    const verified = requestAuthenticatorHolds(decoded.packet, secret);
    this.requests.push({ packet: decoded.packet, verified });
    // A NAS drops what does not verify: the server then reports no answer.
    if (!verified) return;
    const { answer } = this;
    // RFC 5176 §2.3: Disconnect-Request 40 → ACK 41 / NAK 42; CoA-Request 43 → ACK 44 / NAK 45.
    const code = decoded.packet.code + (answer.ack ? 1 : 2);
    const attributes = answer.ack ? [] : [encodeAttribute(['Error-Cause', answer.errorCause])];
    this.#dynamicAuthorization.send(signedAnswer(code, decoded.packet, attributes, secret), from.port, from.address);
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

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
    await new Promise<void>((resolve) => this.#dynamicAuthorization.close(() => resolve()));
  }
}
