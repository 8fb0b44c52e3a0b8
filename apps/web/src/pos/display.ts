/**
 * The customer display (客显, POS-1): a second window (/pos/display) that follows the sale. The cashier's
 * window publishes on a BroadcastChannel; nothing leaves the device.
 */

export type DisplayMessage =
  | {
      kind: 'sale';
      store: string;
      lines: { name: string; qty: string; amount: string }[];
      total: string;
      savings: string;
    }
  | { kind: 'done'; store: string; total: string; change: string };

const CHANNEL = 'erp-till-display';
let channel: BroadcastChannel | null = null;
let last: DisplayMessage | null = null;

function open(): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  if (!channel) {
    channel = new BroadcastChannel(CHANNEL);
    // A display opened later asks for the current state.
    channel.onmessage = (e) => {
      if ((e.data as { kind?: string })?.kind === 'hello' && last) channel?.postMessage(last);
    };
  }
  return channel;
}

export function publishDisplay(m: DisplayMessage): void {
  last = m;
  open()?.postMessage(m);
}

export function subscribeDisplay(fn: (m: DisplayMessage) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e) => {
    const d = e.data as DisplayMessage | { kind: 'hello' };
    if (d.kind !== 'hello') fn(d);
  };
  ch.postMessage({ kind: 'hello' });
  return () => ch.close();
}
