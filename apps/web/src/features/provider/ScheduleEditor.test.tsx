import type { Listing } from '@carebook/contracts';
import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { ScheduleEditor } from './ScheduleEditor';

// The clinic is in London, the person editing it in New York: Node applies a new TZ at once.
const viewerTz = process.env.TZ;
process.env.TZ = 'America/New_York';
afterAll(() => {
  if (viewerTz === undefined) delete process.env.TZ;
  else process.env.TZ = viewerTz;
});

const listing = (timeZone: string) =>
  ({
    id: '0190a0a0-0000-7000-8000-0000000000aa',
    timeZone,
    version: 1,
    schedule: {
      weekly: {
        mon: [{ start: '09:00', end: '17:00' }],
        tue: [],
        wed: [],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
      overrides: [],
      timeOff: [],
      slotIntervalMinutes: 20,
      minimumNoticeMinutes: 60,
      bookingHorizonDays: 30,
      cancellationWindowHours: 24,
    },
  }) as unknown as Listing;

describe('ScheduleEditor time off', () => {
  it("names the zone its times are in, and says when it is not the practice's", () => {
    const { unmount } = renderApp(
      <ScheduleEditor listing={listing('Europe/London')} onSaved={() => {}} onConflict={() => {}} />,
    );
    expect(screen.getByText(/^Times in your own time zone/).textContent).toBe(
      "Times in your own time zone, America/New York, not the practice's (Europe/London).",
    );
    unmount();
    renderApp(
      <ScheduleEditor listing={listing('America/New_York')} onSaved={() => {}} onConflict={() => {}} />,
    );
    expect(screen.getByText("Times in America/New York, the practice's zone.")).toBeTruthy();
  });

  it('a save with hours in error moves focus to the first opening in error, which the message describes', async () => {
    const user = userEvent.setup();
    renderApp(<ScheduleEditor listing={listing('Europe/London')} onSaved={() => {}} onConflict={() => {}} />);
    const until = screen.getByLabelText('Monday opening 1 until');
    fireEvent.change(until, { target: { value: '07:00' } });
    await user.click(screen.getByRole('button', { name: 'Save hours' }));
    const from = screen.getByLabelText('Monday opening 1 from');
    expect(document.activeElement).toBe(from);
    expect(from.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(from.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'The end must be after the start.',
    );
    expect(until.getAttribute('aria-invalid')).toBe('true');
  });
});
