/**
 * Access to documents: answers "what may this caller do here" for every door (REST, sync, the
 * activity stream) through the one policy, and changes who has access. Never sees a request.
 */
import { randomBytes } from 'node:crypto';
import type { DocumentAccess, DocumentAccessChange, DocumentRole, SharedLink } from '../../../shared/dto.ts';
import type { Caller } from '../../http/auth.ts';
import { notFound, roleRequired, unprocessable } from '../../http/problem.ts';
import { can, requiredRole, roleOn, type AccessRules, type AccessSubject, type DocumentAction } from '../../policy/document-access.ts';
import type { DocumentRecord, Store } from '../../storage/store.ts';
import { isDocumentId } from '../documents/ids.ts';

/** Most personal grants one document may have. */
export const MAX_GRANTS = 200;

/** Told when a document's access changed, to bring open connections and streams in line. */
export interface AccessChangeListener {
  /** `before`: the rules as they were, so readers who lose access can be told. */
  documentAccessChanged(documentId: string, before: AccessRules): void;
}

/** A document the caller may act on, with its rules and the caller's role. */
export interface Authorized {
  document: DocumentRecord;
  rules: AccessRules;
  role: DocumentRole;
}

/** What the policy needs to know of a caller. */
export function subjectOf(caller: Caller): AccessSubject {
  return { userId: caller.user?.id ?? null, admin: caller.user?.role === 'admin', shareToken: caller.shareToken };
}

/** A new secret link token: 128 random bits. */
export function newLinkToken(): string {
  return randomBytes(16).toString('base64url');
}

const ACTION_WORDS: Readonly<Record<DocumentAction, string>> = {
  read: 'read this document',
  edit: 'edit this document',
  share: 'change who has access to this document',
  delete: 'delete this document',
};

/** Decides and changes access to documents. */
export class AccessService {
  constructor(
    private readonly store: Store,
    private readonly listener: AccessChangeListener,
  ) {}

  /** The rules of one live document, or null when there is none. */
  async rulesOf(documentId: string): Promise<AccessRules | null> {
    if (!isDocumentId(documentId)) return null;
    return (await this.store.access.rules([documentId])).get(documentId) ?? null;
  }

  /** The subject's role on a document (the sync upgrade asks this); null: no access or no document. */
  async roleFor(documentId: string, subject: AccessSubject): Promise<DocumentRole | null> {
    const document = isDocumentId(documentId) ? await this.store.getDocument(documentId) : null;
    const rules = document ? await this.rulesOf(documentId) : null;
    return rules ? roleOn(rules, subject) : null;
  }

  /**
   * Whether the caller may read a document's activity: by its rules as stored, deleted documents
   * included (their past stays as private as it was). 404 when it may not.
   */
  async requireActivityReader(documentId: string, caller: Caller): Promise<void> {
    const rules = isDocumentId(documentId) ? (await this.store.access.rules([documentId])).get(documentId) : undefined;
    const subject = subjectOf(caller);
    // A document with no rules left was deleted before they were kept: only admins see its past.
    const readable = rules ? roleOn(rules, subject) !== null : subject.admin;
    if (!readable) throw notFound(`no document with id ${documentId}`);
  }

  /**
   * The document, if the caller may do `action` to it. 404 when it may not even read it (its
   * existence is not revealed), 403 naming the role needed when it may read but not do this.
   */
  async authorize(documentId: string, caller: Caller, action: DocumentAction): Promise<Authorized> {
    const document = isDocumentId(documentId) ? await this.store.getDocument(documentId) : null;
    const rules = document ? await this.rulesOf(documentId) : null;
    const role = rules ? roleOn(rules, subjectOf(caller)) : null;
    if (!document || !rules || role === null) throw notFound(`no document with id ${documentId}`);
    if (!can(role, action)) {
      const needed = requiredRole(action);
      throw roleRequired(needed, `You are ${article(role)} ${role} of this document: only ${needed === 'owner' ? 'an owner' : 'an editor'} can ${ACTION_WORDS[action]}.`);
    }
    return { document, rules, role };
  }

  /** Who has access; the secret link only for owners. `baseUrl` is where links point. */
  async describe(documentId: string, caller: Caller, baseUrl: string): Promise<DocumentAccess> {
    const { document, rules, role } = await this.authorize(documentId, caller, 'read');
    return this.accessOf(document, rules, role, baseUrl);
  }

  /** Replaces general access and every grant (owners); open connections and streams follow. */
  async replace(documentId: string, caller: Caller, change: DocumentAccessChange, baseUrl: string): Promise<DocumentAccess> {
    const { document, rules: before } = await this.authorize(documentId, caller, 'share');
    const grants = await this.checkGrants(document, change.grants);
    if (!(await this.store.access.replace(documentId, change.general, grants))) throw notFound(`no document with id ${documentId}`);
    // A link scope needs a link: issue one the first time it is chosen.
    let rules = (await this.rulesOf(documentId))!;
    if (change.general.scope === 'link' && rules.linkToken === null) rules = await this.issueLink(documentId);
    this.listener.documentAccessChanged(documentId, before);
    return this.accessOf(document, rules, 'owner', baseUrl);
  }

  /** Issues a new secret link (owners): the old one stops working at once, everywhere. */
  async rotateLink(documentId: string, caller: Caller, baseUrl: string): Promise<DocumentAccess> {
    const { document, rules: before } = await this.authorize(documentId, caller, 'share');
    const rules = await this.issueLink(documentId);
    this.listener.documentAccessChanged(documentId, before);
    return this.accessOf(document, rules, 'owner', baseUrl);
  }

  /** What a secret link opens, and the role it gives this caller; 404 for an unknown, old or disabled link. */
  async resolveLink(token: string, caller: Caller): Promise<SharedLink> {
    const documentId = await this.store.access.findByLinkToken(token);
    const document = documentId ? await this.store.getDocument(documentId) : null;
    const rules = document ? await this.rulesOf(document.id) : null;
    const role = rules ? roleOn(rules, { ...subjectOf(caller), shareToken: token }) : null;
    // Only a link-scope document opens by link; a member of a workspace document still gets its role.
    if (!document || !rules || role === null || rules.general.scope !== 'link') throw notFound('This link is invalid or was reset.');
    return { documentId: document.id, title: document.title, role };
  }

  private async issueLink(documentId: string): Promise<AccessRules> {
    if (!(await this.store.access.setLinkToken(documentId, newLinkToken()))) throw notFound(`no document with id ${documentId}`);
    return (await this.rulesOf(documentId))!;
  }

  /** Grants as storage takes them: one per account, accounts that exist and can sign in, never the owner. */
  private async checkGrants(document: DocumentRecord, grants: DocumentAccessChange['grants']) {
    if (grants.length > MAX_GRANTS) throw unprocessable(`at most ${MAX_GRANTS} people can be given access one by one`, ['grants']);
    const seen = new Set<string>();
    for (const grant of grants) {
      const id = grant.user.id;
      if (seen.has(id)) throw unprocessable(`grants name ${id} more than once`, ['grants']);
      seen.add(id);
      if (id === document.createdBy.id) throw unprocessable('the owner has access already and needs no grant', ['grants']);
      const account = await this.store.accounts.getAccount(id);
      if (!account || account.disabled || account.email === null) throw unprocessable(`no active account with id ${id}`, ['grants']);
    }
    return grants.map((grant) => ({ userId: grant.user.id, role: grant.role }));
  }

  private async accessOf(document: DocumentRecord, rules: AccessRules, role: DocumentRole, baseUrl: string): Promise<DocumentAccess> {
    let linkToken = rules.linkToken;
    if (role === 'owner' && linkToken === null) linkToken = (await this.issueLink(document.id)).linkToken;
    return {
      owner: document.createdBy,
      general: rules.general,
      grants: await this.store.access.grants(document.id),
      link: role === 'owner' && linkToken ? `${baseUrl.replace(/\/+$/, '')}/s/${linkToken}` : null,
    };
  }
}

function article(role: DocumentRole): string {
  return role === 'owner' ? 'an' : 'a';
}
