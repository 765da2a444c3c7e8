import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Uuid } from './common';
import { PhoneNumber } from './messaging';
import { LanguageCode } from './vocabulary/languages';

export const Role = Type.Union(
  [Type.Literal('patient'), Type.Literal('provider'), Type.Literal('staff'), Type.Literal('admin')],
  {
    description:
      'patient books care; provider owns listings; staff acts for a provider; admin runs the platform',
  },
);
export type Role = Static<typeof Role>;
export const roles: readonly Role[] = ['patient', 'provider', 'staff', 'admin'];

export const UserStatus = Type.Union([Type.Literal('active'), Type.Literal('suspended')]);
export type UserStatus = Static<typeof UserStatus>;

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const Password = Type.String({
  minLength: 10,
  maxLength: 256,
  description: 'At least 10 characters',
});

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 120 }),
    role: Type.Optional(
      Type.Union([Type.Literal('patient'), Type.Literal('provider')], {
        default: 'patient',
        description: 'Provider sign-ups stay unverified until an admin verifies them',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const User = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    role: Role,
    status: UserStatus,
    verified: Type.Boolean({ description: 'Providers: verified by an admin. Others: always true' }),
    emailVerified: Type.Boolean({
      description: 'The owner followed the verification link; booking and creating listings need it',
    }),
    providerId: Type.Union([Uuid, Type.Null()], {
      description: 'Staff: the provider account they act for',
    }),
    createdAt: DateTime,
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'Opaque; rotated on every use' }),
  refreshExpiresAt: DateTime,
  sessionId: Uuid,
});
export type TokenPair = Static<typeof TokenPair>;

export const AuthResult = Type.Object({ user: User, tokens: TokenPair });
export type AuthResult = Static<typeof AuthResult>;

export const Session = Type.Object({
  id: Uuid,
  createdAt: DateTime,
  lastUsedAt: DateTime,
  expiresAt: DateTime,
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});
export type Session = Static<typeof Session>;
export const SessionList = Type.Object({ items: Type.Array(Session) });

/** The one answer to a sign-up, whether or not the address already has an account. */
export const RegisterAccepted = Type.Object({
  status: Type.Literal('verification_sent'),
  message: Type.String(),
});
export type RegisterAccepted = Static<typeof RegisterAccepted>;

/** The one answer to a password-reset request, whether or not the address has an account. */
export const PasswordResetAccepted = Type.Object({
  status: Type.Literal('reset_link_sent'),
  message: Type.String(),
});
export type PasswordResetAccepted = Static<typeof PasswordResetAccepted>;

export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

/** A single-use link token from an e-mail (256 random bits, base64url). */
export const AccountLinkToken = Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });

export const PasswordResetConfirmBody = Type.Object(
  { token: AccountLinkToken, newPassword: Password },
  { additionalProperties: false },
);
export type PasswordResetConfirmBody = Static<typeof PasswordResetConfirmBody>;

export const VerifyEmailBody = Type.Object({ token: AccountLinkToken }, { additionalProperties: false });
export type VerifyEmailBody = Static<typeof VerifyEmailBody>;

export const EmailVerified = Type.Object({ email: Type.String(), emailVerifiedAt: DateTime });
export type EmailVerified = Static<typeof EmailVerified>;

/** A calendar date, YYYY-MM-DD (no time, no zone). */
export const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

/** What a clinic may need from a patient: asked at the first booking, editable on the Account page. */
export const PatientProfile = Type.Object(
  {
    phone: Type.Union([PhoneNumber, Type.Null()]),
    dateOfBirth: Type.Union([CalendarDate, Type.Null()]),
    preferredLanguage: Type.Union([LanguageCode, Type.Null()]),
    /** Phone and date of birth are both given (what the first booking asks for). */
    complete: Type.Boolean(),
  },
  { $id: 'PatientProfile' },
);
export type PatientProfile = Static<typeof PatientProfile>;

/** Only the fields sent change; null clears one. */
export const PatientProfileUpdate = Type.Object(
  {
    phone: Type.Optional(Type.Union([PhoneNumber, Type.Null()])),
    dateOfBirth: Type.Optional(Type.Union([CalendarDate, Type.Null()])),
    preferredLanguage: Type.Optional(Type.Union([LanguageCode, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatientProfileUpdate = Static<typeof PatientProfileUpdate>;

export const StaffInvitationStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('accepted'),
  Type.Literal('revoked'),
  Type.Literal('expired'),
]);

export const StaffInvitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  status: StaffInvitationStatus,
  createdAt: DateTime,
  expiresAt: DateTime,
});
export type StaffInvitation = Static<typeof StaffInvitation>;

export const StaffMember = Type.Object({ id: Uuid, displayName: Type.String(), email: Type.String() });
export type StaffMember = Static<typeof StaffMember>;

export const StaffOverview = Type.Object({
  staff: Type.Array(StaffMember),
  invitations: Type.Array(StaffInvitation, { description: 'Pending invitations, newest first' }),
});
export type StaffOverview = Static<typeof StaffOverview>;

export const StaffInvitationBody = Type.Object({ email: Email }, { additionalProperties: false });

/** What the holder of an invitation link sees before accepting. */
export const StaffInvitationPreview = Type.Object({
  email: Type.String(),
  providerName: Type.String(),
  /** Whether the invited address already has an account (told only to the holder of the link). */
  accountExists: Type.Boolean(),
  expiresAt: DateTime,
});
export type StaffInvitationPreview = Static<typeof StaffInvitationPreview>;

export const StaffInvitationTokenBody = Type.Object(
  { token: AccountLinkToken },
  { additionalProperties: false },
);

/** Accept with a new account (displayName + new password) or an existing one (its password). */
export const AcceptStaffInvitationBody = Type.Object(
  {
    token: AccountLinkToken,
    password: Type.String({ minLength: 1, maxLength: 256 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  },
  { additionalProperties: false },
);
export type AcceptStaffInvitationBody = Static<typeof AcceptStaffInvitationBody>;
