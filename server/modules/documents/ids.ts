/** Document ids: what may be one, so junk never reaches storage. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether a string can be a document id. */
export function isDocumentId(id: string): boolean {
  return ID_PATTERN.test(id);
}
