import { configureStore } from '@reduxjs/toolkit';
import { type TypedUseSelectorHook, useDispatch, useSelector } from 'react-redux';
import { bookingDraftSlice, loadDraft, saveDraft } from './booking-draft-slice';
import { searchSlice } from './search-slice';
import { sessionSlice } from './session-slice';

export function makeStore() {
  const store = configureStore({
    reducer: {
      session: sessionSlice.reducer,
      search: searchSlice.reducer,
      bookingDraft: bookingDraftSlice.reducer,
    },
    preloadedState: { bookingDraft: loadDraft() },
  });
  let last = store.getState().bookingDraft;
  store.subscribe(() => {
    const now = store.getState().bookingDraft;
    if (now !== last) saveDraft(now);
    last = now;
  });
  return store;
}

export type AppStore = ReturnType<typeof makeStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
export const useAppDispatch: () => AppDispatch = useDispatch;
export const useAppSelector: TypedUseSelectorHook<RootState> = useSelector;
