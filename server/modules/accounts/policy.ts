/** Who may manage accounts and invites. The one place that decides it: routes ask, never check roles themselves. */
import type { User } from '../../../shared/dto.ts';
import { forbidden } from '../../http/problem.ts';

/** Whether `user` may invite people, change roles and disable accounts. */
export function canManageAccounts(user: User): boolean {
  return user.role === 'admin';
}

/** 403 unless `user` may manage accounts. */
export function requireAccountManager(user: User, action: string): void {
  if (!canManageAccounts(user)) throw forbidden(`Only an admin can ${action}.`);
}
