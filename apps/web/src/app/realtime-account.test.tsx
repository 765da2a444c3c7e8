import { QueryClientProvider } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeQueryClient } from './query-client';
import { useLiveUpdates } from './realtime';

/** The browser's WebSocket as the app uses it: opened, sent to, and fed messages by the test. */
class FakeSocket {
  static last: FakeSocket | null = null;
  static readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

function Probe({ onChange }: { onChange: () => void }) {
  return <p>{useLiveUpdates(true, onChange)}</p>;
}

describe('live account changes', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refetches the account when the server says it changed (a provider just verified)', async () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const onChange = vi.fn();
    const { container } = render(
      <QueryClientProvider client={makeQueryClient()}>
        <Probe onChange={onChange} />
      </QueryClientProvider>,
    );
    const socket = FakeSocket.last as FakeSocket;
    act(() => socket.onopen?.());
    expect(JSON.parse(socket.sent[0] as string)).toMatchObject({ type: 'auth' });
    act(() => socket.onmessage?.({ data: JSON.stringify({ type: 'ready' }) }));
    expect(container.textContent).toBe('live');
    expect(onChange).not.toHaveBeenCalled();
    act(() =>
      socket.onmessage?.({
        data: JSON.stringify({ type: 'account.changed', change: 'provider_verified', eventId: 'e1' }),
      }),
    );
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
