import { describe, expect, test } from 'bun:test';
import type { JSONContent } from '@tiptap/core';
import { authorColors, diffAuthors, readAuthor, UNKNOWN_AUTHOR_COLOR } from './changes.ts';

const bob = { id: 'u-bob', name: 'Bob' };
const ada = { id: 'u-ada', name: 'Ada' };

function text(value: string, mark?: { type: string; author: unknown }): JSONContent {
  return mark ? { type: 'text', text: value, marks: [{ type: mark.type, attrs: { author: mark.author } }] } : { type: 'text', text: value };
}

describe('diff authors', () => {
  test('each author once, in order of their first change, with what kinds of change they made', () => {
    const document: JSONContent = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [text('kept '), text('gone', { type: 'deletion', author: bob })] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('new', { type: 'insertion', author: ada })] }] }] },
        { type: 'paragraph', content: [text('more', { type: 'insertion', author: bob }), text('old', { type: 'deletion', author: null })] },
      ],
    };
    expect(diffAuthors(document)).toEqual([
      { author: bob, inserted: true, deleted: true },
      { author: ada, inserted: true, deleted: false },
      { author: null, inserted: false, deleted: true },
    ]);
  });

  test('a document without changes has no authors; other marks are not changes', () => {
    const document: JSONContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'bold' }] }] }] };
    expect(diffAuthors(document)).toEqual([]);
  });

  test('an author is only what a mark names well-formed', () => {
    expect(readAuthor({ id: 'u', name: 'N', extra: '<script>' })).toEqual({ id: 'u', name: 'N' });
    expect(readAuthor({ id: 7, name: 'N' })).toBeNull();
    expect(readAuthor('Bob')).toBeNull();
  });

  test('every author gets a colour of their own, in order; nobody known is grey', () => {
    const colorOf = authorColors([bob, null, ada, bob]);
    expect(colorOf(bob)).not.toBe(colorOf(ada));
    expect(colorOf({ ...bob })).toBe(colorOf(bob));
    // Authors listed first keep their colours when more are added after them.
    expect(authorColors([bob, ada, { id: 'u-cy', name: 'Cy' }])(ada)).toBe(colorOf(ada));
    expect(colorOf(null)).toBe(UNKNOWN_AUTHOR_COLOR);
    expect(colorOf({ id: 'stranger', name: 'S' })).toBe(UNKNOWN_AUTHOR_COLOR);
  });
});
