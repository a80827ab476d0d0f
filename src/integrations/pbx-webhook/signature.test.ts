import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSignature, SIGNATURE_HEADER, signatureHeaders, TIMESTAMP_HEADER } from './signature.js';

const secret = 'a-pbx-secret-of-some-length';
const now = new Date('2026-03-02T09:00:00Z');
const headersOf = (signed: Record<string, string>) => ({
  timestamp: signed[TIMESTAMP_HEADER],
  signature: signed[SIGNATURE_HEADER],
});

describe('the webhook signature', () => {
  it('verifies what it signed, for any body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const body = Buffer.from(bytes);
        expect(checkSignature(secret, headersOf(signatureHeaders(secret, body, now)), body, now)).toBe('valid');
      }),
    );
  });

  it('refuses a body changed by one byte, and another secret', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.nat(), (bytes, at) => {
        const body = Buffer.from(bytes);
        const headers = headersOf(signatureHeaders(secret, body, now));
        const tampered = Buffer.from(body);
        const index = at % tampered.length;
        tampered[index] = (tampered[index] as number) ^ 1;
        expect(checkSignature(secret, headers, tampered, now)).toBe('wrong');
        expect(checkSignature(`${secret}!`, headers, body, now)).toBe('wrong');
      }),
    );
  });

  it('is the HMAC that openssl computes over "<timestamp>.<body>", as the docs show', () => {
    const body = '{"events":[]}';
    const signed = signatureHeaders(secret, body, now);
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-r'], {
      input: `${signed[TIMESTAMP_HEADER]}.${body}`,
    })
      .toString()
      .split(' ')[0];
    expect(signed[SIGNATURE_HEADER]).toBe(`sha256=${openssl}`);
    expect(signed[TIMESTAMP_HEADER]).toBe(String(now.getTime() / 1000));
  });

  it('refuses a timestamp more than 300 s away either side, and accepts one just inside', () => {
    const body = '{}';
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    const headers = headersOf(signatureHeaders(secret, body, now));
    expect(checkSignature(secret, headers, body, at(300))).toBe('valid');
    expect(checkSignature(secret, headers, body, at(-300))).toBe('valid');
    expect(checkSignature(secret, headers, body, at(301))).toBe('stale');
    expect(checkSignature(secret, headers, body, at(-301))).toBe('stale');
  });

  it('says a forged signature is wrong, not stale, whatever its timestamp', () => {
    const forged = { timestamp: '1000', signature: `sha256=${'0'.repeat(64)}` };
    expect(checkSignature(secret, forged, '{}', now)).toBe('wrong');
  });

  it('tells missing headers from malformed ones', () => {
    const good = headersOf(signatureHeaders(secret, '{}', now));
    expect(checkSignature(secret, { ...good, signature: undefined }, '{}', now)).toBe('missing');
    expect(checkSignature(secret, { ...good, timestamp: undefined }, '{}', now)).toBe('missing');
    for (const signature of [
      'sha1=abc',
      'sha256=',
      `sha256=${'g'.repeat(64)}`,
      `sha256=${'a'.repeat(63)}`,
      `${'a'.repeat(64)}`,
      [good.signature as string, good.signature as string],
    ]) {
      expect(checkSignature(secret, { ...good, signature }, '{}', now), String(signature)).toBe('malformed');
    }
    for (const timestamp of ['', '-5', '1e9', '17000000000000', ' 1']) {
      expect(checkSignature(secret, { ...good, timestamp }, '{}', now), timestamp).toBe('malformed');
    }
  });

  it('accepts the hex digits in capitals', () => {
    const good = headersOf(signatureHeaders(secret, '{}', now));
    const upper = `sha256=${(good.signature as string).slice(7).toUpperCase()}`;
    expect(checkSignature(secret, { ...good, signature: upper }, '{}', now)).toBe('valid');
  });
});
