import { createHash, createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  decodePacket,
  encodeAttribute,
  type RadiusPacket,
  requestAuthenticatorHolds,
} from '../integrations/radius/codec.js';

/** What the NAS in a test saw: each datagram, and whether it verified under its secret. */
export interface SeenByNas {
  packet: RadiusPacket;
  authenticatorHolds: boolean;
  messageAuthenticatorHolds: boolean;
}

export type CoaNasBehaviour = 'ack' | 'nak' | 'silent' | 'wrong-secret' | 'ack-on-second-try';

export interface CoaNas {
  port: number;
  seen: SeenByNas[];
  /** How it answers the next request; may be changed between requests. */
  behaviour: CoaNasBehaviour;
  /** The Error-Cause of its NAKs (503 Session Context Not Found unless told). */
  errorCause: number;
  close(): Promise<void>;
}

/**
 * A NAS's Dynamic Authorization Server on 127.0.0.1, as RFC 5176 describes it: it checks the
 * request's authenticator and Message-Authenticator (a request that does not verify is dropped),
 * then answers ACK, or NAK with its Error-Cause, signed with its secret ('wrong-secret': with
 * another). Checked against radclient in dynamic-authorization.test.ts.
 */
export async function startCoaNas(behaviour: CoaNasBehaviour, secret: Buffer): Promise<CoaNas> {
  const socket = dgram.createSocket('udp4');
  const nas: CoaNas = {
    port: 0,
    seen: [],
    behaviour,
    errorCause: 503,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  let unanswered = 0;
  socket.on('message', (datagram, from) => {
    const decoded = decodePacket(datagram);
    if (!decoded.ok) return;
    const { packet } = decoded;
    const authenticatorHolds = requestAuthenticatorHolds(packet, secret);
    const messageAuthenticatorHolds = messageAuthenticatorOfRequestHolds(packet.bytes, secret);
    nas.seen.push({ packet, authenticatorHolds, messageAuthenticatorHolds });
    if (nas.behaviour === 'silent' || !authenticatorHolds || !messageAuthenticatorHolds) return;
    if (nas.behaviour === 'ack-on-second-try' && unanswered++ === 0) return;
    const nak = nas.behaviour === 'nak';
    const code = packet.code + (nak ? 2 : 1);
    const attributes = nak ? [encodeAttribute(['Error-Cause', nas.errorCause])] : [];
    const signingSecret = nas.behaviour === 'wrong-secret' ? Buffer.from('not-the-secret-at-all') : secret;
    socket.send(signedAnswer(code, packet, attributes, signingSecret), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  nas.port = (socket.address() as AddressInfo).port;
  return nas;
}

/** RFC 5176 §3.4: the request's Message-Authenticator is the HMAC-MD5 with a zero Request Authenticator. */
function messageAuthenticatorOfRequestHolds(bytes: Buffer, secret: Buffer): boolean {
  for (let at = 20; at + 2 <= bytes.length; at += bytes[at + 1] as number) {
    if (bytes[at] === 80) {
      const copy = Buffer.from(bytes);
      copy.fill(0, 4, 20);
      copy.fill(0, at + 2, at + 18);
      return createHmac('md5', secret)
        .update(copy)
        .digest()
        .equals(bytes.subarray(at + 2, at + 18));
    }
    if ((bytes[at + 1] as number) < 2) return false;
  }
  return false;
}

/** An ACK or NAK with a Message-Authenticator, signed as RFC 5176 §2.3 and RFC 3579 §3.2 say. */
export function signedAnswer(code: number, request: RadiusPacket, attributes: Buffer[], secret: Buffer): Buffer {
  const body = Buffer.concat([...attributes, Buffer.from([80, 18]), Buffer.alloc(16)]);
  const packet = Buffer.concat([Buffer.from([code, request.identifier, 0, 0]), request.authenticator, body]);
  packet.writeUInt16BE(packet.length, 2);
  createHmac('md5', secret)
    .update(packet)
    .digest()
    .copy(packet, packet.length - 16);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

/** The attributes of a request the NAS saw, by name. */
export const attributesSeen = (seen: SeenByNas | undefined) =>
  Object.fromEntries(seen?.packet.attributes.map((attribute) => [attribute.name, attribute.value]) ?? []);
