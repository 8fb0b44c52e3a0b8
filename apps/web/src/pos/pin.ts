import type { LocalCashier } from './db';

/**
 * Offline PIN check: the server ships each cashier's till-PIN verifier (PBKDF2-SHA256, never the account
 * password's hash), and the till derives the same key with WebCrypto. Used only while the server cannot be
 * reached; online, the server checks the PIN (and counts failures towards its lockout).
 */

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export async function verifyPinOffline(pin: string, verifier: NonNullable<LocalCashier['pin']>): Promise<boolean> {
  if (verifier.algorithm !== 'PBKDF2-SHA256') return false;
  const expected = fromBase64(verifier.hash);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(verifier.salt), iterations: verifier.iterations },
    key,
    expected.length * 8,
  );
  return equal(new Uint8Array(bits), expected);
}

/** Failed offline attempts per login, so a lost till cannot be used to guess PINs quickly. */
const failures = new Map<string, { count: number; until: number }>();
export const OFFLINE_MAX_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

export function offlineLockedUntil(login: string): number | null {
  const f = failures.get(login.toLowerCase());
  return f && f.until > Date.now() ? f.until : null;
}

export function noteOfflineFailure(login: string): void {
  const k = login.toLowerCase();
  const f = failures.get(k) ?? { count: 0, until: 0 };
  f.count += 1;
  if (f.count >= OFFLINE_MAX_FAILURES) {
    f.until = Date.now() + LOCK_MS;
    f.count = 0;
  }
  failures.set(k, f);
}

export function clearOfflineFailures(login: string): void {
  failures.delete(login.toLowerCase());
}
