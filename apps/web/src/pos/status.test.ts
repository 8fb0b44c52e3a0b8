import { describe, expect, it } from 'vitest';
import { summarizeOutbox } from './status';

const facts = (p: Partial<Parameters<typeof summarizeOutbox>[0]>) =>
  summarizeOutbox({ pending: 0, refused: 0, online: true, uploading: false, ...p });

describe('the till header on the outbox', () => {
  it('says "all uploaded" only when nothing waits and nothing was refused', () => {
    expect(facts({}).chips.map((c) => c.key)).toEqual(['outbox.synced']);
    for (const online of [true, false]) {
      for (const uploading of [true, false]) {
        for (const [pending, refused] of [
          [1, 0],
          [0, 1],
          [3, 2],
        ] as const) {
          const s = facts({ pending, refused, online, uploading });
          expect(s.state).not.toBe('synced');
          expect(s.chips.some((c) => c.key === 'outbox.synced')).toBe(false);
        }
      }
    }
  });

  it('shows refused sales on their own, red, even while others upload', () => {
    const s = facts({ pending: 2, refused: 1, uploading: true });
    expect(s.state).toBe('refused');
    expect(s.chips.map((c) => [c.state, c.tone, c.n])).toEqual([
      ['uploading', 'warn', 2],
      ['refused', 'err', 1],
    ]);
  });

  it('tells waiting, uploading and offline apart', () => {
    expect(facts({ pending: 4 }).chips[0]).toMatchObject({ state: 'waiting', key: 'outbox.waiting', n: 4 });
    expect(facts({ pending: 4, uploading: true }).chips[0]).toMatchObject({ state: 'uploading', n: 4 });
    expect(facts({ pending: 4, online: false, uploading: true }).chips[0]).toMatchObject({ state: 'offline', n: 4 });
  });
});
