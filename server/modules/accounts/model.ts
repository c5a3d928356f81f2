/** TypeBox schemas of the accounts API, and the checks that come after them. */
import { t } from 'elysia';
import type { User, UserIdentity } from '../../../shared/dto.ts';
import { unprocessable } from '../../http/problem.ts';
import { SINGLE_LINE_TEXT } from '../../http/text-patterns.ts';
import type { AccountRecord } from '../../storage/store.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';

/** Caret and avatar colours, readable on white; new accounts get one at random. */
export const COLORS = ['#e5484d', '#f76b15', '#ad7f00', '#30a46c', '#0d9488', '#0090ff', '#3e63dd', '#8e4ec6', '#d6409f', '#6e56cf'];

export const MAX_NAME_LENGTH = 64;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const Email = t.String({ minLength: 1, maxLength: 254, pattern: SINGLE_LINE_TEXT });
const Name = t.String({ maxLength: 256, pattern: SINGLE_LINE_TEXT });
const Password = t.String({ maxLength: MAX_PASSWORD_LENGTH });
const Color = t.String({ pattern: '^#[0-9a-fA-F]{6}$' });
// Not t.UnionEnum: it defaults a missing value to its first member, so `{disabled: true}` would
// also make the account an admin.
const Role = t.Union([t.Literal('admin'), t.Literal('member')]);
export const InviteCode = t.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const UserSchema = t.Object({ id: t.String(), name: t.String(), email: t.String(), color: t.String(), role: Role });
export const SessionSchema = t.Object({ token: t.String(), user: UserSchema });
export const UserSummarySchema = t.Object({
  id: t.String(),
  name: t.String(),
  email: t.Union([t.String(), t.Null()]),
  color: t.String(),
  role: t.Optional(Role),
  disabled: t.Optional(t.Boolean()),
});

export const CreateAccountBody = t.Object(
  { email: Email, name: Name, password: Password, invite: t.Optional(InviteCode) },
  { additionalProperties: false },
);
export const SignInBody = t.Object({ email: Email, password: Password }, { additionalProperties: false });
export const ProfileBody = t.Object({ name: t.Optional(Name), color: t.Optional(Color) }, { additionalProperties: false });
export const PasswordChangeBody = t.Object({ current: Password, next: Password }, { additionalProperties: false });
export const AdminChangeBody = t.Object({ role: t.Optional(Role), disabled: t.Optional(t.Boolean()) }, { additionalProperties: false });
export const CreateInviteBody = t.Object({ email: t.Optional(Email), role: Role }, { additionalProperties: false });
export const ListUsersQuery = t.Object({
  q: t.Optional(t.String({ maxLength: 254, pattern: SINGLE_LINE_TEXT })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const AuthConfigSchema = t.Object({
  registration: t.Union([t.Literal('invite'), t.Literal('open'), t.Literal('closed')]),
  needsFirstAccount: t.Boolean(),
  oidc: t.Boolean(),
});
export const InviteCreatedSchema = t.Object({ code: t.String(), url: t.String(), expiresAt: t.String({ format: 'date-time' }) });
export const InviteDetailsSchema = t.Object({
  invitedBy: t.Object({ id: t.String(), name: t.String() }),
  email: t.Union([t.String(), t.Null()]),
  role: Role,
  expiresAt: t.String({ format: 'date-time' }),
});

/** A display name, trimmed; 422 unless 1 to 64 characters. */
export function checkName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_NAME_LENGTH) {
    throw unprocessable(`${field} must be 1 to ${MAX_NAME_LENGTH} characters after trimming`, [field]);
  }
  return trimmed;
}

/** An email address, trimmed and lower-cased (emails are compared without case); 422 unless it looks like one. */
export function checkEmail(email: string, field = 'email'): string {
  const trimmed = email.trim().toLowerCase();
  if (!EMAIL.test(trimmed)) throw unprocessable(`${field} must be an email address like ada@example.com`, [field]);
  return trimmed;
}

/** 422 unless the password is long enough. */
export function checkPassword(password: string, field = 'password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw unprocessable(`${field} must be at least ${MIN_PASSWORD_LENGTH} characters`, [field]);
  }
}

/** What an enabled account with an email is, as the session and the API show it. */
export function userOf(account: AccountRecord): User {
  return { id: account.id, name: account.name, email: account.email ?? '', color: account.color, role: account.role };
}

export function identityOf(account: AccountRecord): UserIdentity {
  return { id: account.id, name: account.name, color: account.color };
}
