import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature both directions carry (docs/integrations/telephony.md, "Signature"): an HMAC-SHA256
 * of "<unix seconds>.<raw body>" with the PBX secret, the scheme Stripe and GitHub webhooks use,
 * so a PBX's HTTP hook and a shell with openssl can produce it. The timestamp inside the signed
 * text is what makes an old request useless: it is refused once it is more than
 * `toleranceSeconds` away from the receiver's clock.
 */
export const TIMESTAMP_HEADER = 'x-linedesk-timestamp';
export const SIGNATURE_HEADER = 'x-linedesk-signature';
export const toleranceSeconds = 300;

const timestampFormat = /^\d{1,12}$/;
const signatureFormat = /^sha256=([0-9a-f]{64})$/;

function hmacOf(secret: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The two headers for a body sent at `now`. */
export function signatureHeaders(secret: string, body: Buffer | string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `sha256=${hmacOf(secret, timestamp, body).toString('hex')}`,
  };
}

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'stale' | 'wrong';

/**
 * Checks a request's headers against its raw body. The digests are compared in constant time, so
 * how long a refusal takes says nothing about how much of a guessed signature was right.
 */
export function checkSignature(
  secret: string,
  headers: { timestamp: string | string[] | undefined; signature: string | string[] | undefined },
  body: Buffer | string,
  now: Date,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined) return 'missing';
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return 'malformed';
  const given = signatureFormat.exec(signature.trim().toLowerCase());
  if (!timestampFormat.test(timestamp) || !given) return 'malformed';
  const expected = hmacOf(secret, timestamp, body);
  if (!timingSafeEqual(expected, Buffer.from(given[1] as string, 'hex'))) return 'wrong';
  // Checked after the digest, so only a request the PBX really signed is told its clock is off.
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds ? 'stale' : 'valid';
}
