/**
 * The share dialog's model, pure: a draft of a document's access that the owner edits, what it
 * sends, which link to copy, and where a failed save's message belongs.
 */
import type {
  AccessGrant,
  AccessScope,
  DocumentAccess,
  DocumentAccessChange,
  DocumentRole,
  GeneralAccess,
  GeneralRole,
} from '../../../shared/dto.ts';
import { ApiError, errorMessage } from '../api/problem.ts';

/** What the owner is changing: general access and the people with their roles. */
export interface AccessDraft {
  general: GeneralAccess;
  grants: AccessGrant[];
}

/** How roles read in the dialog and the document list. */
export const DOCUMENT_ROLE_LABELS: Record<DocumentRole, string> = { viewer: 'Viewer', editor: 'Editor', owner: 'Owner' };

/** How each general access reads in its selector. */
export const SCOPE_LABELS: Record<AccessScope, string> = {
  private: 'Private',
  workspace: 'Everyone in the workspace',
  link: 'Anyone with the link',
};

const GENERAL_ROLE_VERBS: Record<GeneralRole, string> = { viewer: 'view', editor: 'edit' };

/** General access as one sentence, for those who cannot change it. */
export function describeGeneral(general: GeneralAccess): string {
  if (general.scope === 'private') return 'Only the people listed can open it.';
  const who = general.scope === 'workspace' ? 'Everyone in the workspace' : 'Anyone with the link';
  return `${who} can ${GENERAL_ROLE_VERBS[general.role]}.`;
}

export function draftOf(access: DocumentAccess): AccessDraft {
  return { general: { ...access.general }, grants: access.grants.map((grant) => ({ ...grant, user: { ...grant.user } })) };
}

/** Adds `user` as a viewer (the least a share gives; the owner raises it beside their name). Once per person. */
export function withPerson(draft: AccessDraft, user: AccessGrant['user']): AccessDraft {
  if (draft.grants.some((grant) => grant.user.id === user.id)) return draft;
  return { ...draft, grants: [...draft.grants, { user, role: 'viewer' }] };
}

export function withRole(draft: AccessDraft, userId: string, role: DocumentRole): AccessDraft {
  return { ...draft, grants: draft.grants.map((grant) => (grant.user.id === userId ? { ...grant, role } : grant)) };
}

export function withoutPerson(draft: AccessDraft, userId: string): AccessDraft {
  return { ...draft, grants: draft.grants.filter((grant) => grant.user.id !== userId) };
}

export function withGeneral(draft: AccessDraft, general: Partial<GeneralAccess>): AccessDraft {
  return { ...draft, general: { ...draft.general, ...general } };
}

/** The body of the PUT that makes `draft` the document's access. */
export function accessChange(draft: AccessDraft): DocumentAccessChange {
  return {
    general: { ...draft.general },
    grants: draft.grants.map((grant) => ({ user: { id: grant.user.id }, role: grant.role })),
  };
}

/** Whether saving `draft` would change `access` (grant order aside). */
export function isChanged(draft: AccessDraft, access: DocumentAccess): boolean {
  const key = (value: DocumentAccessChange) =>
    JSON.stringify({ ...value, grants: [...value.grants].sort((a, b) => a.user.id.localeCompare(b.user.id)) });
  return key(accessChange(draft)) !== key(accessChange(draftOf(access)));
}

/**
 * The address to send: the secret link while general access is by link and the caller knows it
 * (owners do), else the page the caller has open (`/s/:token` for a link's visitor), else the
 * document's own address, which opens it for whoever has access.
 */
export function linkToCopy(
  access: DocumentAccess,
  scope: AccessScope,
  documentId: string,
  origin: string,
  visitedLink: string | null,
): string {
  if (scope === 'link' && access.link !== null) return new URL(access.link, origin).href;
  if (visitedLink !== null) return new URL(visitedLink, origin).href;
  return new URL(`/d/${encodeURIComponent(documentId)}`, origin).href;
}

/** Where a failed save's message goes: beside general access, beside the people, or the whole form. */
export interface AccessErrors {
  general: string | null;
  grants: string | null;
  form: string | null;
}

/** Splits a failed save by the fields its problem names (`general.scope`, `grants.0.role`). */
export function accessErrors(error: unknown): AccessErrors {
  const none: AccessErrors = { general: null, grants: null, form: null };
  if (error === null || error === undefined) return none;
  const fields = error instanceof ApiError ? (error.problem?.fields ?? []) : [];
  const message = errorMessage(error);
  const general = fields.some((field) => field === 'general' || field.startsWith('general.'));
  const grants = fields.some((field) => field === 'grants' || field.startsWith('grants.'));
  if (!general && !grants) return { ...none, form: message };
  return { general: general ? message : null, grants: grants ? message : null, form: null };
}
