import { DomainError } from '@erp/contracts';
import { hash, verify } from '@node-rs/argon2';
import { passwordProblems } from './auth.rules.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const options = {
  algorithm: 2 /* Argon2id (a const enum in the typings) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing in particular, verified against when the login is unknown so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
}

export function assertPasswordPolicy(password: string, login: string): void {
  const problems = passwordProblems(password, login);
  if (problems.length) {
    throw new DomainError('PASSWORD_POLICY', {}, [
      {
        path: 'password',
        code: problems.join(','),
        message: '密码至少 10 位，须同时包含字母和数字，且不能包含登录名',
        messageZh: '密码至少 10 位，须同时包含字母和数字，且不能包含登录名',
        messageEn: 'At least 10 characters, letters and digits, not containing the login name',
      },
    ]);
  }
}
