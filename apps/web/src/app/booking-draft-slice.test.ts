import { describe, expect, it } from 'vitest';
import { bookingCreated, detailsEntered, draftCleared, reasonTyped, slotChosen } from './booking-draft-slice';
import { makeStore } from './store';

const slot = (providerId: string, start: string) => ({
  providerId,
  providerName: 'Harbour Clinic',
  serviceId: 's1',
  serviceName: 'Skin check',
  priceCents: 4500,
  currency: 'EUR',
  durationMinutes: 20,
  start,
  end: start,
  timeZone: 'Europe/Berlin',
  idempotencyKey: `k-${start}`,
});

describe('booking draft', () => {
  it('keeps the reason when another slot of the same provider is chosen, not for another provider', () => {
    const store = makeStore();
    store.dispatch(slotChosen(slot('p1', '2030-01-01T09:00:00.000Z')));
    store.dispatch(detailsEntered({ reasonForVisit: 'Rash', newPatient: false }));
    store.dispatch(bookingCreated('b1'));
    store.dispatch(slotChosen(slot('p1', '2030-01-01T10:00:00.000Z')));
    expect(store.getState().bookingDraft.draft).toMatchObject({
      reasonForVisit: 'Rash',
      newPatient: false,
      bookingId: null,
    });
    store.dispatch(slotChosen(slot('p2', '2030-01-01T10:00:00.000Z')));
    expect(store.getState().bookingDraft.draft).toMatchObject({ reasonForVisit: '', newPatient: true });
  });

  it('keeps a half-typed reason when the patient goes back for another time, without confirming it', () => {
    const store = makeStore();
    store.dispatch(slotChosen(slot('p1', '2030-01-01T09:00:00.000Z')));
    store.dispatch(reasonTyped({ reasonForVisit: 'Itchy rash on the', newPatient: false }));
    store.dispatch(slotChosen(slot('p1', '2030-01-01T11:00:00.000Z')));
    expect(makeStore().getState().bookingDraft.draft).toMatchObject({
      start: '2030-01-01T11:00:00.000Z',
      reasonForVisit: 'Itchy rash on the',
      newPatient: false,
      detailsConfirmed: false,
    });
    store.dispatch(detailsEntered({ reasonForVisit: 'Itchy rash on the arm', newPatient: false }));
    expect(store.getState().bookingDraft.draft?.detailsConfirmed).toBe(true);
  });

  it('survives a reload through sessionStorage, and is gone once cleared', () => {
    const first = makeStore();
    first.dispatch(slotChosen(slot('p1', '2030-01-01T09:00:00.000Z')));
    expect(makeStore().getState().bookingDraft.draft?.providerId).toBe('p1');
    first.dispatch(draftCleared());
    expect(makeStore().getState().bookingDraft.draft).toBeNull();
  });
});
