import { describe, expect, test } from 'bun:test';
import { countWords, wordCountLabel } from './wordCount.ts';

describe('countWords', () => {
  test('counts words across punctuation, contractions and scripts', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  \n ')).toBe(0);
    expect(countWords('Hello, world!')).toBe(2);
    expect(countWords("don't stop — well-known")).toBe(3);
    expect(countWords('naïve café 42')).toBe(3);
  });

  test('labels', () => {
    expect(wordCountLabel(1)).toBe('1 word');
    expect(wordCountLabel(1200)).toBe('1,200 words');
  });
});
