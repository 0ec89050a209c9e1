import crypto from 'node:crypto';

/**
 * Message references that patients can read out on the phone: `HC-7Q4K-2M`. Crockford's
 * alphabet leaves out I, L, O and U, so nothing reads as another character.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE = /^HC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;

export function newMessageReference(randomBytes: (size: number) => Buffer = crypto.randomBytes): string {
  const chars = [...randomBytes(6)].map((byte) => ALPHABET[byte % 32]);
  return `HC-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export function isMessageReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** Accepts how people type a reference (`hc 7q4k 2m`) and returns it in capitals, or undefined. */
export function normaliseMessageReference(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 20) return undefined;
  const compact = value.toUpperCase().replace(/[\s-]/g, '');
  const match = /^HC([0-9A-Z]{4})([0-9A-Z]{2})$/.exec(compact);
  const reference = match ? `HC-${match[1]}-${match[2]}` : undefined;
  return isMessageReference(reference) ? reference : undefined;
}
