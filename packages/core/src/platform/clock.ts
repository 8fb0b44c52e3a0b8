/** The chain's time zone: business days are calendar days there (ORG-4). */
export const TIME_ZONE = process.env.ERP_TIMEZONE ?? 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** 'YYYY-MM-DD' of `at` in the chain's time zone. */
export function calendarDay(at: Date = new Date()): string {
  return dayFormat.format(at);
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** 'YYYY-MM-DD HH:mm:ss' of `at` on the chain's clock (what a receipt or a printed sheet shows). */
export function localTime(at: Date): string {
  return timeFormat.format(at);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}
