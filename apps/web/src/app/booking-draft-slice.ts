import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

/** What the patient has chosen so far; survives sign-in and reloads via sessionStorage. */
export interface BookingDraft {
  providerId: string;
  providerName: string;
  serviceId: string;
  serviceName: string;
  priceCents: number;
  currency: string;
  durationMinutes: number;
  start: string;
  end: string;
  timeZone: string;
  reasonForVisit: string;
  /** Whether the patient pressed Continue on the reason (a reason may also be half typed). */
  detailsConfirmed?: boolean;
  newPatient: boolean;
  /** One key per draft so a double submit or a retry books once. */
  idempotencyKey: string;
  /** Set once the booking exists, so going back does not book twice. */
  bookingId: string | null;
}

export interface BookingDraftState {
  draft: BookingDraft | null;
}

const STORAGE_KEY = 'carebook.bookingDraft';

export function loadDraft(): BookingDraftState {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return { draft: raw ? (JSON.parse(raw) as BookingDraft) : null };
  } catch {
    return { draft: null };
  }
}

export function saveDraft(state: BookingDraftState) {
  try {
    if (state.draft) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.draft));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable: the draft lives in memory only
  }
}

export type SlotChoice = Omit<
  BookingDraft,
  'reasonForVisit' | 'detailsConfirmed' | 'newPatient' | 'idempotencyKey' | 'bookingId'
>;

export const bookingDraftSlice = createSlice({
  name: 'bookingDraft',
  initialState: { draft: null } as BookingDraftState,
  reducers: {
    slotChosen(state, action: PayloadAction<SlotChoice & { idempotencyKey: string; newPatient?: boolean }>) {
      const keep = state.draft?.providerId === action.payload.providerId ? state.draft : null;
      state.draft = {
        ...action.payload,
        reasonForVisit: keep?.reasonForVisit ?? '',
        detailsConfirmed: keep?.detailsConfirmed ?? false,
        // Asked on the profile before the slot is picked; otherwise what was said before.
        newPatient: action.payload.newPatient ?? keep?.newPatient ?? true,
        bookingId: null,
      };
    },
    /** As the patient types: the reason survives going back to pick another time. */
    reasonTyped(state, action: PayloadAction<{ reasonForVisit: string; newPatient: boolean }>) {
      if (state.draft) Object.assign(state.draft, action.payload, { detailsConfirmed: false });
    },
    detailsEntered(state, action: PayloadAction<{ reasonForVisit: string; newPatient: boolean }>) {
      if (state.draft) Object.assign(state.draft, action.payload, { detailsConfirmed: true });
    },
    bookingCreated(state, action: PayloadAction<string>) {
      if (state.draft) state.draft.bookingId = action.payload;
    },
    draftCleared(state) {
      state.draft = null;
    },
  },
});

export const { slotChosen, reasonTyped, detailsEntered, bookingCreated, draftCleared } =
  bookingDraftSlice.actions;
