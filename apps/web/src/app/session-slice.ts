import type { User } from '@carebook/contracts';
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export interface SessionState {
  /** unknown until the stored refresh token has been tried at start-up */
  status: 'unknown' | 'signedIn' | 'signedOut';
  user: User | null;
}

const initialState: SessionState = { status: 'unknown', user: null };

export const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    signedIn(state, action: PayloadAction<User>) {
      state.status = 'signedIn';
      state.user = action.payload;
    },
    signedOut(state) {
      state.status = 'signedOut';
      state.user = null;
    },
  },
});

export const { signedIn, signedOut } = sessionSlice.actions;
