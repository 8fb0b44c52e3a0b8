import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/**
 * Till PINs (收银密码) are kept as PBKDF2-SHA256 verifiers, an algorithm every browser has (WebCrypto), so a
 * till can check a cashier's PIN while offline. Only this verifier is shipped to tills — never the account
 * password's hash: a lost till exposes at most a till PIN, which works only together with a paired till's
 * token, and an administrator resets it (and unpairs the till) in one step.
 */
export const PIN_ALGORITHM = 'PBKDF2-SHA256';
export const PIN_ITERATIONS = 120_000;
const KEY_BYTES = 32;

export interface PinVerifier {
  salt: string;
  hash: string;
  iterations: number;
}

export async function makePinVerifier(pin: string, iterations = PIN_ITERATIONS): Promise<PinVerifier> {
  const salt = randomBytes(16);
  const hash = await pbkdf2Async(pin, salt, iterations, KEY_BYTES, 'sha256');
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), iterations };
}

export async function checkPin(pin: string, v: PinVerifier): Promise<boolean> {
  const expected = Buffer.from(v.hash, 'base64');
  const actual = await pbkdf2Async(pin, Buffer.from(v.salt, 'base64'), v.iterations, expected.length, 'sha256');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummy: Promise<PinVerifier> | undefined;
/** Checked against when the login is unknown, so the answer takes as long either way. */
export function dummyPinVerifier(): Promise<PinVerifier> {
  dummy ??= makePinVerifier('000000-not-a-pin');
  return dummy;
}
