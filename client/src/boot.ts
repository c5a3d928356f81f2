/**
 * The first script a page runs, loaded `async` ahead of the app (see vite.config.ts): it sends
 * the requests every page opens with (the session, and on `/d/:id` the document's details) and
 * starts fetching the document page's code, so none of them waits for the app's code to arrive
 * and run first. On a slow network each of those waits was a round trip or a download in a row.
 */
import { requestEarly } from './api/earlyRequests.ts';
import { editorDocumentId, preloadDocumentPage } from './app/pageModules.ts';

requestEarly('/api/session');
const documentId = editorDocumentId(window.location.pathname);
if (documentId !== null) {
  requestEarly(`/api/documents/${documentId}`);
  preloadDocumentPage();
}
