import { describe, expect, test } from 'bun:test';
import type { DocumentAccess } from '../../../shared/dto.ts';
import { ApiError } from '../api/problem.ts';
import {
  accessChange,
  accessErrors,
  describeGeneral,
  draftOf,
  isChanged,
  linkToCopy,
  withGeneral,
  withoutPerson,
  withPerson,
  withRole,
} from './accessForm.ts';

const bob = { id: 'u-bob', name: 'Bob', email: 'bob@example.test', color: '#059669' };
const cleo = { id: 'u-cleo', name: 'Cleo', email: 'cleo@example.test', color: '#d97706' };
const access: DocumentAccess = {
  owner: { id: 'u-ada', name: 'Ada' },
  general: { scope: 'workspace', role: 'editor' },
  grants: [{ user: bob, role: 'viewer' }],
  link: 'http://quire.test/s/secret-1',
};
const origin = 'http://quire.test';

describe('the access draft', () => {
  test('adding, raising and removing people makes the PUT body the server takes', () => {
    let draft = draftOf(access);
    draft = withPerson(draft, cleo);
    draft = withPerson(draft, cleo);
    draft = withRole(draft, 'u-bob', 'editor');
    draft = withGeneral(draft, { scope: 'private' });
    expect(accessChange(draft)).toEqual({
      general: { scope: 'private', role: 'editor' },
      grants: [
        { user: { id: 'u-bob' }, role: 'editor' },
        { user: { id: 'u-cleo' }, role: 'viewer' },
      ],
    });
    expect(accessChange(withoutPerson(draft, 'u-bob')).grants).toEqual([{ user: { id: 'u-cleo' }, role: 'viewer' }]);
  });

  test('editing the draft leaves the loaded access alone, and changed tells whether there is anything to save', () => {
    const draft = withRole(draftOf(access), 'u-bob', 'owner');
    expect(access.grants[0]?.role).toBe('viewer');
    expect(isChanged(draft, access)).toBe(true);
    expect(isChanged(withRole(draft, 'u-bob', 'viewer'), access)).toBe(false);
    const reordered = { ...access, grants: [{ user: cleo, role: 'editor' as const }, ...access.grants] };
    const sameSetOtherOrder = { ...draftOf(reordered), grants: [...draftOf(reordered).grants].reverse() };
    expect(isChanged(sameSetOtherOrder, reordered)).toBe(false);
  });
});

describe('the link to copy', () => {
  test('the secret link while access is by link, else the page opened, else the document address', () => {
    expect(linkToCopy(access, 'link', 'd1', origin, null)).toBe('http://quire.test/s/secret-1');
    expect(linkToCopy(access, 'workspace', 'd1', origin, null)).toBe('http://quire.test/d/d1');
    expect(linkToCopy({ ...access, link: null }, 'link', 'd1', origin, 'http://quire.test/s/visited')).toBe('http://quire.test/s/visited');
    expect(linkToCopy({ ...access, link: '/s/relative' }, 'link', 'd 1', origin, null)).toBe('http://quire.test/s/relative');
    expect(linkToCopy({ ...access, link: null }, 'private', 'd 1', origin, null)).toBe('http://quire.test/d/d%201');
  });
});

describe('what non-owners read', () => {
  test('general access as a sentence', () => {
    expect(describeGeneral({ scope: 'private', role: 'editor' })).toBe('Only the people listed can open it.');
    expect(describeGeneral({ scope: 'workspace', role: 'editor' })).toBe('Everyone in the workspace can edit.');
    expect(describeGeneral({ scope: 'link', role: 'viewer' })).toBe('Anyone with the link can view.');
  });
});

describe('a failed save', () => {
  test('goes beside the control its problem names, else to the whole form', () => {
    const problem = (fields?: string[]) =>
      new ApiError(422, { type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'grants.0.role: invalid', fields });
    expect(accessErrors(problem(['grants.0.role']))).toEqual({ general: null, grants: 'grants.0.role: invalid', form: null });
    expect(accessErrors(problem(['general.scope'])).general).toBe('grants.0.role: invalid');
    expect(accessErrors(problem())).toEqual({ general: null, grants: null, form: 'grants.0.role: invalid' });
    expect(accessErrors(new TypeError('offline')).form).toContain('cannot be reached');
    expect(accessErrors(null)).toEqual({ general: null, grants: null, form: null });
  });
});
