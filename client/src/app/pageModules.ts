/**
 * The code of a document's page (`/d/:id`), fetched at most once, whoever asks first: the boot
 * script on a document's URL, before the app's own code has arrived, or the router when the page
 * is first shown. No React here: the boot script imports this module.
 */

/** A module fetched on first call; `loaded` holds it once it has arrived. */
export interface ModuleLoad<T> {
  (): Promise<T>;
  loaded: T | undefined;
}

function loadOnce<T>(load: () => Promise<T>): ModuleLoad<T> {
  let pending: Promise<T> | undefined;
  const get: ModuleLoad<T> = Object.assign(
    () =>
      (pending ??= load().then((module) => {
        get.loaded = module;
        return module;
      })),
    { loaded: undefined },
  );
  return get;
}

/** What keeps a document's collaboration open across its editor and its history (Yjs). */
export const loadDocumentSession = loadOnce(() => import('../pages/DocumentSessionRoute.tsx'));
/** The page around the editor: title, presence, sharing, the activity sidebar. */
export const loadEditorPage = loadOnce(() => import('../pages/EditorPage.tsx'));
/** The editor itself (Tiptap, ProseMirror). */
export const loadEditor = loadOnce(() => import('../editor/CollaborativeEditor.tsx'));

const EDITOR_PATH = /^\/d\/([^/]+)\/?$/;

/** Whether `pathname` opens a document in the editor (`/d/:id`). */
export function isEditorPath(pathname: string): boolean {
  return EDITOR_PATH.test(pathname);
}

/** The document id of an editor path (`/d/:id`), as it appears in the URL; null elsewhere. */
export function editorDocumentId(pathname: string): string | null {
  return EDITOR_PATH.exec(pathname)?.[1] ?? null;
}

/** Starts fetching every module a document's page needs, all at once (no import waits for another). */
export function preloadDocumentPage(): void {
  void loadDocumentSession();
  void loadEditorPage();
  void loadEditor();
}
