/**
 * A keyboard-wedge scanner types a code as a burst of key presses a few milliseconds apart and ends it with
 * Enter; a person types far slower. `WedgeBurst` watches key presses (wherever the focus is) and tells, at
 * Enter, whether the characters before it were such a burst. Pure logic, no DOM: the hook feeds it events.
 *
 * The test is the burst's average pace, not every single gap: a busy page (a grid re-rendering on each key)
 * delays some key events by tens of milliseconds, and one late key must not split a scan in two. A pause
 * longer than `maxPauseMs` does end a burst (a person typed, then paused).
 */
export interface WedgeOptions {
  /** Longest average pause between the characters of one burst (ms). Scanners: 2–20 ms; people: 80 ms and more. */
  maxGapMs?: number;
  /** Longest single pause inside a burst (ms); a longer one starts a new burst. */
  maxPauseMs?: number;
  /** Shortest code taken as a scan (EAN-8 is 8; internal codes may be shorter). */
  minLength?: number;
}

export interface Burst {
  code: string;
  /** Where the characters went (an input the scanner typed into by accident), to undo them. */
  target: unknown;
  /** The target's value before the burst began. */
  valueBefore: string | null;
}

const DEFAULTS: Required<WedgeOptions> = { maxGapMs: 40, maxPauseMs: 120, minLength: 6 };

export class WedgeBurst {
  private readonly opts: Required<WedgeOptions>;
  private chars = '';
  private first = 0;
  private last = 0;
  private target: unknown = null;
  private valueBefore: string | null = null;

  constructor(opts: WedgeOptions = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** A printable character typed at time `t` into `target` (whose value before this key is `value`). */
  key(ch: string, t: number, target: unknown, value: string | null): void {
    const continues = this.chars.length > 0 && t - this.last <= this.opts.maxPauseMs && target === this.target;
    if (!continues) {
      this.chars = '';
      this.first = t;
      this.target = target;
      this.valueBefore = value;
    }
    this.chars += ch;
    this.last = t;
  }

  /** Enter at time `t`: the burst it ends, or null when the keys before it were typed by a person. */
  enter(t: number): Burst | null {
    const n = this.chars.length;
    const fast = n >= this.opts.minLength && (t - this.first) / n <= this.opts.maxGapMs && t - this.last <= this.opts.maxPauseMs;
    const burst = fast ? { code: this.chars, target: this.target, valueBefore: this.valueBefore } : null;
    this.reset();
    return burst;
  }

  reset(): void {
    this.chars = '';
    this.first = 0;
    this.last = 0;
    this.target = null;
    this.valueBefore = null;
  }
}
