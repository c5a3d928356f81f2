/** One table of subject × access × action: who may read, edit, share and delete. */
import { describe, expect, test } from 'bun:test';
import type { DocumentRole, GeneralAccess } from '../../shared/dto.ts';
import { can, roleOn, type AccessRules, type AccessSubject, type DocumentAction } from './document-access.ts';

const LINK = 'secret-link-token-0123456789abcd';

function rules(general: GeneralAccess, grants: Record<string, DocumentRole> = {}): AccessRules {
  return { ownerId: 'owner', general, grants: new Map(Object.entries(grants)), linkToken: LINK };
}

const member = (userId: string, shareToken: string | null = null): AccessSubject => ({ userId, admin: false, shareToken });
const admin: AccessSubject = { userId: 'admin', admin: true, shareToken: null };
const anonymous = (shareToken: string | null): AccessSubject => ({ userId: null, admin: false, shareToken });

const privateDoc = rules({ scope: 'private', role: 'editor' }, { viewer: 'viewer', editor: 'editor', coowner: 'owner' });
const workspaceViewers = rules({ scope: 'workspace', role: 'viewer' }, { editor: 'editor' });
const linkEditors = rules({ scope: 'link', role: 'editor' }, { viewer: 'viewer' });

const cases: [string, AccessRules, AccessSubject, DocumentRole | null][] = [
  ['owner of a private document', privateDoc, member('owner'), 'owner'],
  ['admin is owner of everything', privateDoc, admin, 'owner'],
  ['granted viewer', privateDoc, member('viewer'), 'viewer'],
  ['granted editor', privateDoc, member('editor'), 'editor'],
  ['granted owner', privateDoc, member('coowner'), 'owner'],
  ['stranger to a private document', privateDoc, member('stranger'), null],
  ['stranger holding the link of a private document', privateDoc, member('stranger', LINK), null],
  ['anonymous with the link of a private document', privateDoc, anonymous(LINK), null],
  ['workspace member', workspaceViewers, member('stranger'), 'viewer'],
  ['grant above workspace access wins', workspaceViewers, member('editor'), 'editor'],
  ['anonymous on a workspace document', workspaceViewers, anonymous(LINK), null],
  ['member with the link', linkEditors, member('stranger', LINK), 'editor'],
  ['member without the link', linkEditors, member('stranger'), null],
  ['member with an old link', linkEditors, member('stranger', 'old-link'), null],
  ['link above a weaker grant', linkEditors, member('viewer', LINK), 'editor'],
  ['anonymous with the link is a viewer at most', linkEditors, anonymous(LINK), 'viewer'],
  ['anonymous with an old link', linkEditors, anonymous('old-link'), null],
  ['anonymous without a link', linkEditors, anonymous(null), null],
];

describe('roleOn', () => {
  test.each(cases)('%s', (_name, access, subject, expected) => {
    expect(roleOn(access, subject)).toBe(expected);
  });

  test('a link does nothing before one was issued', () => {
    expect(roleOn({ ...linkEditors, linkToken: null }, anonymous(LINK))).toBeNull();
  });
});

describe('can', () => {
  const actions: DocumentAction[] = ['read', 'edit', 'share', 'delete'];
  const table: [DocumentRole | null, boolean[]][] = [
    [null, [false, false, false, false]],
    ['viewer', [true, false, false, false]],
    ['editor', [true, true, false, false]],
    ['owner', [true, true, true, true]],
  ];
  test.each(table)('%s', (role, allowed) => {
    expect(actions.map((action) => can(role, action))).toEqual(allowed);
  });
});
