/** AUTH-3 password policy: ≥ 10 characters, letters and digits, not the login name. */
export function passwordProblems(password: string, login: string): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push('too_short');
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) problems.push('needs_letters_and_digits');
  const p = password.toLowerCase();
  const l = login.toLowerCase();
  if (l.length > 0 && (p === l || p.includes(l))) problems.push('contains_login');
  return problems;
}

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

/** Whether an account is locked at `now`. */
export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** Failures counted so far, ignoring those before an expired lock. */
export function effectiveFailures(failed: number, lockedUntil: Date | null, now: Date): number {
  return lockedUntil !== null && lockedUntil.getTime() <= now.getTime() ? 0 : failed;
}

export const SESSION_POLICY = {
  cookieIdleMinutes: Number(process.env.ERP_SESSION_IDLE_MINUTES ?? 240),
  cookieAbsoluteHours: Number(process.env.ERP_SESSION_ABSOLUTE_HOURS ?? 12),
  bearerDays: Number(process.env.ERP_TOKEN_DAYS ?? 30),
  /** last_seen is written at most this often, so reads do not turn into writes. */
  touchSeconds: 60,
};
