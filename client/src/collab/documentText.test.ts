import { describe, expect, test } from 'bun:test';
import * as Y from 'yjs';
import { documentText } from './documentText.ts';

function element(name: string, children: (Y.XmlElement | Y.XmlText)[]): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children);
  return node;
}

function text(value: string, attributes?: Record<string, unknown>): Y.XmlText {
  const node = new Y.XmlText();
  node.insert(0, value, attributes);
  return node;
}

describe('documentText', () => {
  test('paragraphs, headings and list items each on a line, marks left out', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    fragment.insert(0, [
      element('heading', [text('Plan')]),
      element('paragraph', [text('Ship '), text('Friday', { bold: true })]),
      element('bulletList', [element('listItem', [element('paragraph', [text('one')])]), element('listItem', [element('paragraph', [text('two')])])]),
      element('paragraph', []),
    ]);
    expect(documentText(fragment)).toBe('Plan\nShip Friday\none\ntwo\n');
  });

  test('an empty document is empty text', () => {
    expect(documentText(new Y.Doc().getXmlFragment('default'))).toBe('');
  });
});
