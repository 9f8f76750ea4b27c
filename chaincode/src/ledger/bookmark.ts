import { ValidationError } from '../errors.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The one refusal of a bookmark, whether it is malformed or names a key outside the query's ranges. */
export const BOOKMARK_REFUSED = 'bookmark does not belong to this query; use the bookmark its previous page returned';

/**
 * The bookmark a list returns for the next page: the key the next page starts at, base64url-encoded. That key is
 * always a record the caller may read (the first one not returned), never a key of a record it may not see, so the
 * bookmark tells the caller nothing it will not read on the next page anyway (issue 8 item 6).
 */
export function encodeBookmark(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * The key a bookmark names ('' for none).
 *
 * @throws ValidationError when the text is not a bookmark a list returned.
 */
export function decodeBookmark(bookmark: string): string {
  const key = BASE64URL.test(bookmark) ? Buffer.from(bookmark, 'base64url').toString('utf8') : undefined;
  if (key === undefined || encodeBookmark(key) !== bookmark) {
    throw new ValidationError(BOOKMARK_REFUSED);
  }
  return key;
}
