import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { type AttributeToSend, decodePacket, encodeAttribute, type RadiusPacket } from './codec.js';
import { errorCauseInWords } from './dictionary.js';

/**
 * RFC 5176 (Dynamic Authorization Extensions to RADIUS): Linedesk as the Dynamic Authorization
 * Client asks a NAS to end a session (Disconnect-Request) or to change it in place (CoA-Request),
 * on the NAS's port (3799 by default; Juniper ERX 1700).
 */
export type DynamicRequestKind = 'disconnect' | 'coa';

const CODES = {
  disconnect: { request: 40, ack: 41, nak: 42 },
  coa: { request: 43, ack: 44, nak: 45 },
} as const;

const HEADER = 20;
const MESSAGE_AUTHENTICATOR = 80;
const ERROR_CAUSE = 101;

const md5 = (...parts: Buffer[]) => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const hmacMd5 = (secret: Buffer, packet: Buffer) => createHmac('md5', secret).update(packet).digest();

/**
 * A Disconnect-Request or CoA-Request signed with `secret`. It carries a Message-Authenticator
 * (RFC 5176 §3.4 allows it in every request; RFC 3579 §3.2's HMAC-MD5 makes a forged or altered
 * request detectable beyond the MD5 authenticator, and NASes hardened after BlastRADIUS ask for
 * it): per §3.4 it is computed first, over the packet with a Request Authenticator of 16 zero
 * octets; then the Request Authenticator (§2.3) is MD5(Code + Identifier + Length + 16 zero
 * octets + Attributes + Secret), as an Accounting-Request's.
 */
export function dynamicAuthorizationRequest(
  kind: DynamicRequestKind,
  identifier: number,
  attributes: AttributeToSend[],
  secret: Buffer,
): Buffer {
  const messageAuthenticator = Buffer.concat([Buffer.from([MESSAGE_AUTHENTICATOR, 18]), Buffer.alloc(16)]);
  const body = Buffer.concat([...attributes.map(encodeAttribute), messageAuthenticator]);
  const packet = Buffer.concat([Buffer.from([CODES[kind].request, identifier, 0, 0]), Buffer.alloc(16), body]);
  packet.writeUInt16BE(packet.length, 2);
  hmacMd5(secret, packet).copy(packet, packet.length - 16);
  md5(packet, secret).copy(packet, 4);
  return packet;
}

export type DynamicAuthorizationReply =
  | { ok: true; answer: 'ack' | 'nak'; errorCause: number | null }
  | { ok: false; reason: 'malformed' | 'not_an_answer' | 'bad_authenticator' | 'bad_message_authenticator' };

/**
 * Reads a NAS's answer to `request` (the bytes sent): an ACK or NAK of the request's kind with its
 * Identifier, whose Response Authenticator is MD5(Code + Identifier + Length + Request
 * Authenticator + Attributes + Secret) (§2.3), and whose Message-Authenticator, when present, is
 * the HMAC-MD5 of the answer with the Request Authenticator in its place (RFC 3579 §3.2). Anything
 * else is not the NAS's answer: a wrong secret on either side, a stray or forged datagram.
 */
export function readDynamicAuthorizationReply(
  datagram: Buffer,
  request: Buffer,
  secret: Buffer,
): DynamicAuthorizationReply {
  const decoded = decodePacket(datagram);
  if (!decoded.ok) return { ok: false, reason: 'malformed' };
  const { packet } = decoded;
  const codes = request[0] === CODES.coa.request ? CODES.coa : CODES.disconnect;
  if ((packet.code !== codes.ack && packet.code !== codes.nak) || packet.identifier !== request[1]) {
    return { ok: false, reason: 'not_an_answer' };
  }
  const requestAuthenticator = request.subarray(4, HEADER);
  const expected = md5(packet.bytes.subarray(0, 4), requestAuthenticator, packet.bytes.subarray(HEADER), secret);
  if (!timingSafeEqual(expected, packet.authenticator)) return { ok: false, reason: 'bad_authenticator' };
  const signature = messageAuthenticatorAt(packet.bytes);
  if (signature !== null) {
    const copy = Buffer.from(packet.bytes);
    requestAuthenticator.copy(copy, 4);
    copy.fill(0, signature, signature + 16);
    if (!timingSafeEqual(hmacMd5(secret, copy), packet.bytes.subarray(signature, signature + 16))) {
      return { ok: false, reason: 'bad_message_authenticator' };
    }
  }
  const cause = packet.attributes.find((attribute) => attribute.type === ERROR_CAUSE && attribute.vendor === null);
  return {
    ok: true,
    answer: packet.code === codes.ack ? 'ack' : 'nak',
    errorCause: typeof cause?.value === 'number' ? cause.value : null,
  };
}

/**
 * A NAS's ACK or NAK to `request` (for the simulator's NAS), signed as readDynamicAuthorizationReply
 * checks it: the Message-Authenticator over the answer with the Request Authenticator in place
 * (RFC 3579 §3.2), then the Response Authenticator (RFC 5176 §2.3).
 */
export function dynamicAuthorizationAnswer(
  request: RadiusPacket,
  answer: 'ack' | 'nak',
  attributes: AttributeToSend[],
  secret: Buffer,
): Buffer {
  const codes = request.code === CODES.coa.request ? CODES.coa : CODES.disconnect;
  const messageAuthenticator = Buffer.concat([Buffer.from([MESSAGE_AUTHENTICATOR, 18]), Buffer.alloc(16)]);
  const body = Buffer.concat([...attributes.map(encodeAttribute), messageAuthenticator]);
  const code = answer === 'ack' ? codes.ack : codes.nak;
  const packet = Buffer.concat([Buffer.from([code, request.identifier, 0, 0]), request.authenticator, body]);
  packet.writeUInt16BE(packet.length, 2);
  hmacMd5(secret, packet).copy(packet, packet.length - 16);
  md5(packet, secret).copy(packet, 4);
  return packet;
}

/** Where the Message-Authenticator's 16 octets start in a decoded packet, or null without one. */
function messageAuthenticatorAt(bytes: Buffer): number | null {
  for (let at = HEADER; at + 2 <= bytes.length; at += bytes[at + 1] as number) {
    if (bytes[at] === MESSAGE_AUTHENTICATOR && bytes[at + 1] === 18) return at + 2;
    if ((bytes[at + 1] as number) < 2) return null;
  }
  return null;
}

export interface NasEndpoint {
  address: string;
  /** The NAS's Disconnect/CoA port (settings: 3799, Juniper ERX 1700). */
  port: number;
  secret: Buffer;
}

export interface SendOptions {
  /** How long to wait for an answer before sending again (default 1 s). */
  timeoutMs?: number;
  /** How many times the request goes out in all (default 3). */
  tries?: number;
}

export interface DynamicAuthorizationOutcome {
  answer: 'ack' | 'nak' | 'no-answer';
  errorCause: number | null;
  errorCauseWords: string | null;
}

/** An IPv4 address as a dual-stack socket shows it (::ffff:a.b.c.d) is the same NAS. */
const sameAddress = (a: string, b: string) => a.toLowerCase().replace(/^::ffff:/, '') === b.toLowerCase();

/**
 * Sends the request and waits for the NAS's answer, sending the very same datagram again (same
 * Identifier and authenticator, as RFC 5080 §2.2.1 asks of a retransmission) when none comes in
 * time. Only an answer from the NAS's address and port that verifies under the secret counts; an
 * answer that does not verify is dropped, and without any other the result says so: the NAS
 * answers, but the secrets differ.
 */
export async function sendDynamicAuthorization(
  nas: NasEndpoint,
  kind: DynamicRequestKind,
  attributes: AttributeToSend[],
  options: SendOptions = {},
): Promise<DynamicAuthorizationOutcome> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const tries = options.tries ?? 3;
  const request = dynamicAuthorizationRequest(kind, randomInt(256), attributes, nas.secret);
  const socket = dgram.createSocket(isIPv6(nas.address) ? 'udp6' : 'udp4');
  let unverified = 0;
  try {
    return await new Promise<DynamicAuthorizationOutcome>((resolve) => {
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: DynamicAuthorizationOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      const sendOnce = () => {
        if (sent === tries) {
          finish({
            answer: 'no-answer',
            errorCause: null,
            errorCauseWords: unverified > 0 ? 'An answer came that did not verify: the shared secrets differ' : null,
          });
          return;
        }
        sent++;
        // A send that fails (no route to the NAS) is one more try without an answer.
        socket.send(request, nas.port, nas.address, () => {});
        timer = setTimeout(sendOnce, timeoutMs);
      };
      socket.on('message', (datagram, from) => {
        if (!sameAddress(from.address, nas.address) || from.port !== nas.port) return;
        const reply = readDynamicAuthorizationReply(datagram, request, nas.secret);
        if (!reply.ok) {
          if (reply.reason !== 'not_an_answer') unverified++;
          return;
        }
        finish({
          answer: reply.answer,
          errorCause: reply.errorCause,
          errorCauseWords: reply.errorCause === null ? null : errorCauseInWords(reply.errorCause),
        });
      });
      // An ICMP error surfaces here on some systems: the retries and their timeout still decide.
      socket.on('error', () => {});
      sendOnce();
    });
  } finally {
    socket.close();
  }
}
