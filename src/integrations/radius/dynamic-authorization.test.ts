import { execFile } from 'node:child_process';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { attributesSeen, type CoaNasBehaviour, signedAnswer, startCoaNas } from '../../testing/coa-nas.js';
import { radclientInstalled, warnIfRadclientMissing } from '../../testing/radclient.js';
import { decodePacket, encodeAttribute } from './codec.js';
import {
  dynamicAuthorizationRequest,
  readDynamicAuthorizationReply,
  sendDynamicAuthorization,
} from './dynamic-authorization.js';

const SECRET = Buffer.from('coa-secret-0123456789');

warnIfRadclientMissing('The Disconnect/CoA peer checked against radclient');

const peers: { close(): Promise<void> }[] = [];
const started = async (behaviour: CoaNasBehaviour, secret: Buffer = SECRET) => {
  const peer = await startCoaNas(behaviour, secret);
  peers.push(peer);
  return peer;
};
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

const session: Parameters<typeof sendDynamicAuthorization>[2] = [
  ['User-Name', 'p100001'],
  ['Acct-Session-Id', '81a00001'],
  ['Framed-IP-Address', '100.64.3.7'],
];
const quick = { timeoutMs: 150, tries: 3 };

describe('Disconnect-Request and CoA-Request to a NAS (RFC 5176)', () => {
  it('a Disconnect the NAS verifies and acknowledges comes back as an ACK, naming the session as the NAS knows it', async () => {
    const nas = await started('ack');
    const outcome = await sendDynamicAuthorization(
      { address: '127.0.0.1', port: nas.port, secret: SECRET },
      'disconnect',
      session,
    );
    expect(outcome).toEqual({ answer: 'ack', errorCause: null, errorCauseWords: null });
    expect(nas.seen).toHaveLength(1);
    const [request] = nas.seen;
    expect(request).toMatchObject({ authenticatorHolds: true, messageAuthenticatorHolds: true });
    expect(request?.packet.code).toBe(40);
    expect(attributesSeen(request)).toMatchObject({
      'User-Name': 'p100001',
      'Acct-Session-Id': '81a00001',
      'Framed-IP-Address': '100.64.3.7',
    });
  });

  it('a CoA the NAS refuses comes back as a NAK with its Error-Cause in words', async () => {
    const nas = await started('nak');
    const outcome = await sendDynamicAuthorization(
      { address: '127.0.0.1', port: nas.port, secret: SECRET },
      'coa',
      [...session, ['Mikrotik-Rate-Limit', '100M/100M']],
      quick,
    );
    expect(outcome).toEqual({ answer: 'nak', errorCause: 503, errorCauseWords: 'Session Context Not Found' });
    expect(nas.seen[0]?.packet.code).toBe(43);
    expect(nas.seen[0]?.packet.attributes.find((a) => a.name === 'Mikrotik-Rate-Limit')?.value).toBe('100M/100M');
  });

  it('a NAS that stays silent gets the same datagram again, then the agent hears there was no answer', async () => {
    const nas = await started('silent');
    const outcome = await sendDynamicAuthorization(
      { address: '127.0.0.1', port: nas.port, secret: SECRET },
      'disconnect',
      session,
      quick,
    );
    expect(outcome).toEqual({ answer: 'no-answer', errorCause: null, errorCauseWords: null });
    expect(nas.seen).toHaveLength(3);
    // A retransmission is the very same request: same Identifier, same authenticator.
    expect(new Set(nas.seen.map((seen) => seen.packet.bytes.toString('hex'))).size).toBe(1);
  });

  it('an answer lost on the way is made up for by the retransmission', async () => {
    const nas = await started('ack-on-second-try');
    const outcome = await sendDynamicAuthorization(
      { address: '127.0.0.1', port: nas.port, secret: SECRET },
      'disconnect',
      session,
      quick,
    );
    expect(outcome.answer).toBe('ack');
    expect(nas.seen).toHaveLength(2);
  });

  it('an answer signed with another secret is not believed: no answer, and the words say the secrets differ', async () => {
    const nas = await started('wrong-secret');
    const outcome = await sendDynamicAuthorization(
      { address: '127.0.0.1', port: nas.port, secret: SECRET },
      'disconnect',
      session,
      quick,
    );
    expect(outcome).toEqual({
      answer: 'no-answer',
      errorCause: null,
      errorCauseWords: 'An answer came that did not verify: the shared secrets differ',
    });
  });

  it('a NAS with another secret drops the request as RFC 5176 asks: it does not verify there', async () => {
    const nas = await started('ack', Buffer.from('the-nas-has-another-one'));
    const outcome = await sendDynamicAuthorization(
      { address: '127.0.0.1', port: nas.port, secret: SECRET },
      'coa',
      session,
      quick,
    );
    expect(outcome.answer).toBe('no-answer');
    expect(nas.seen.every((seen) => !seen.authenticatorHolds)).toBe(true);
  });

  it('an ACK from another port than the NAS’s, or to another Identifier, is not the answer', async () => {
    const request = dynamicAuthorizationRequest('disconnect', 7, session, SECRET);
    const decoded = decodePacket(request);
    if (!decoded.ok) throw new Error('request did not decode');
    const ack = signedAnswer(41, decoded.packet, [], SECRET);
    expect(readDynamicAuthorizationReply(ack, request, SECRET)).toEqual({ ok: true, answer: 'ack', errorCause: null });
    const otherIdentifier = Buffer.from(ack);
    otherIdentifier[1] = 8;
    expect(readDynamicAuthorizationReply(otherIdentifier, request, SECRET)).toEqual({
      ok: false,
      reason: 'not_an_answer',
    });
    const coaAck = signedAnswer(44, decoded.packet, [], SECRET);
    expect(readDynamicAuthorizationReply(coaAck, request, SECRET)).toMatchObject({ ok: false });
    const tampered = Buffer.from(signedAnswer(42, decoded.packet, [encodeAttribute(['Error-Cause', 503])], SECRET));
    tampered[24] = 0x02; // the Error-Cause changed on the way: the authenticator no longer holds
    expect(readDynamicAuthorizationReply(tampered, request, SECRET)).toMatchObject({ ok: false });
  });

  it('reading any datagram as an answer never throws', () => {
    const request = dynamicAuthorizationRequest('coa', 1, session, SECRET);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const datagram = Buffer.from(bytes);
        if (datagram.length >= 2) datagram[1] = 1;
        expect(readDynamicAuthorizationReply(datagram, request, SECRET).ok).toBe(false);
      }),
    );
  });

  // The NAS of these tests is itself checked against FreeRADIUS's radclient (freeradius-utils): its
  // requests verify there, and its answers verify in radclient, so the signing both sides use is
  // the one real implementations use.
  it.skipIf(!radclientInstalled)(
    'the test NAS verifies radclient’s requests and radclient believes its answers',
    async () => {
      const nas = await started('nak');
      // radclient exits 1 on a NAK (it expects an ACK); what it printed is what counts.
      const output = await new Promise<string>((resolve) => {
        const child = execFile(
          'radclient',
          ['-x', '-r', '1', '-t', '2', `127.0.0.1:${nas.port}`, 'disconnect', SECRET.toString()],
          (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
        );
        child.stdin?.end('User-Name = "p100001", Acct-Session-Id = "81a00001", Message-Authenticator = 0x00\n');
      });
      expect(nas.seen[0]).toMatchObject({ authenticatorHolds: true, messageAuthenticatorHolds: true });
      expect(output).toContain('Received Disconnect-NAK');
      expect(output).toContain('Error-Cause = Session-Context-Not-Found');
    },
  );
});
