/** The search part of the `Store`: a full-text index of documents' titles and text. */
import type { ListedDocument, Reader } from './store.ts';

/** A document whose index entry is older than its last change. */
export interface StaleDocument {
  id: string;
  title: string;
  /** The change the entry will be as new as (`documents.updated_at`). */
  updatedAt: number;
}

/** What one document is searched by. */
export interface SearchEntry {
  documentId: string;
  title: string;
  /** The document's plain text. */
  body: string;
  /** The `updatedAt` this entry reflects. */
  updatedAt: number;
}

export interface SearchQuery {
  /** Words to find, all of them; the last matches as a prefix (people are still typing it). */
  terms: readonly string[];
  reader: Reader;
  limit: number;
  offset: number;
}

/** Highlight delimiters inside `SearchHit.snippet`; they never occur in indexed text. */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

/** A document found, best first. */
export interface SearchHit {
  documentId: string;
  /** The document as listings show it, with the reader's own grant. */
  document: ListedDocument;
  /** A passage around the matches, each match between `HIT_START` and `HIT_END`. */
  snippet: string;
}

/**
 * Both stores rank title matches above body matches (equal ranks: the entry of the later change
 * first) and return only live documents the reader may read (`readableBy`, as listings do).
 */
export interface SearchStore {
  /** Live documents changed since they were indexed (or never indexed), longest-waiting first. */
  stale(limit: number): Promise<StaleDocument[]>;
  /** Stores (replacing) a document's entry; ignored if the document is gone. */
  index(entry: SearchEntry): Promise<void>;
  search(query: SearchQuery): Promise<SearchHit[]>;
}

/**
 * How many of the best matches a store ranks first, before asking which of them the reader may
 * read: the page and what precedes it, and as many again for matches hidden from this reader
 * (others' private documents, the trash). When they do not fill the page, the store ranks them all.
 */
export function rankingWindow(query: SearchQuery): number {
  return 2 * (query.offset + query.limit) + 20;
}

/** Indexed text without the highlight delimiters (and other control characters but tab and newline). */
export function indexableText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f]/g, ' ');
}
