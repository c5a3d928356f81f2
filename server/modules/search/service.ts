/** Full-text search over what the caller may read, and the HTML of its snippets. Never sees a request. */
import type { User } from '../../../shared/dto.ts';
import type { SearchPage } from '../../../shared/rich-content.ts';
import { badRequest } from '../../http/problem.ts';
import { HIT_END, HIT_START } from '../../storage/search-store.ts';
import type { Store } from '../../storage/store.ts';
import { listedRole, toSummary } from '../documents/service.ts';

/** Most words a query may hold, and the longest word kept. */
const MAX_TERMS = 16;
const MAX_TERM_LENGTH = 64;
/** Deepest a cursor may page (ranked search pages by position). */
const MAX_OFFSET = 10_000;

/** The words of a query, lower-cased: letters and digits only, so no store sees operator syntax. */
export function searchTerms(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, MAX_TERMS)
    .map((term) => term.slice(0, MAX_TERM_LENGTH));
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A store's snippet as HTML: the text escaped, each match in `<mark>`. */
export function snippetHtml(snippet: string): string {
  const escaped = snippet.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
  return escaped.replaceAll(HIT_START, '<mark>').replaceAll(HIT_END, '</mark>').replace(/\s+/g, ' ').trim();
}

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > MAX_OFFSET) throw badRequest('cursor is not one this API returned', ['cursor']);
  return offset;
}

/** The search feature. */
export class SearchService {
  constructor(private readonly store: Store) {}

  /** Documents `user` may read whose title or text hold every word of `q`, best first. */
  async search(user: User, q: string, limit: number, cursor: string | undefined): Promise<SearchPage> {
    const terms = searchTerms(q);
    const offset = decodeOffset(cursor);
    if (terms.length === 0) return { items: [], nextCursor: null };
    const reader = { userId: user.id, admin: user.role === 'admin' };
    const hits = await this.store.search.search({ terms, reader, limit: limit + 1, offset });
    // Each hit carries its document as listings show it, with the reader's own grant.
    const items = hits.slice(0, limit).map((hit) => ({ document: toSummary(hit.document, listedRole(hit.document, user)), snippet: snippetHtml(hit.snippet) }));
    const more = hits.length > limit && offset + limit <= MAX_OFFSET;
    return { items, nextCursor: more ? Buffer.from(String(offset + limit)).toString('base64url') : null };
  }
}
