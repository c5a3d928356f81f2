/** Patterns shared by the API's schemas. */

/**
 * Text a person typed on one line: no control characters. NUL in particular cannot be stored by
 * PostgreSQL, and none of them belongs in a title, a name or a filter.
 */
export const SINGLE_LINE_TEXT = '^[^\\u0000-\\u001f\\u007f]*$';
