/** The rich-text editor bound to a shared Y.Doc, with named carets of everyone present. */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { yCursorPluginKey, ySyncPluginKey } from '@tiptap/y-tiptap';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { UserIdentity } from '../../../shared/dto.ts';
import { documentExtensions } from '../../../shared/editor-schema.ts';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import { caretColor } from '../collab/presence.ts';
import type { CollaborationSession } from '../collab/useCollaboration.ts';
import { usePresence } from '../collab/usePresence.ts';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { useShareToken } from '../sharing/shareToken.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { CaretAfterTypedText } from './extensions/caretAfterTypedText.ts';
import { insertImageFiles, PastedContent } from './extensions/pastedContent.ts';
import { imageUrlFor } from './extensions/uploads.ts';
import { LinkPopover } from './LinkPopover.tsx';
import { RichTools } from './RichTools.tsx';
import { ShortcutsSheet } from './ShortcutsSheet.tsx';
import { Toolbar } from './Toolbar.tsx';
import { readToolbarState } from './toolbarState.ts';
import { useWordCount } from './useWordCount.ts';
import { wordCountLabel } from './wordCount.ts';

/**
 * What this user publishes in awareness: carets and avatars read it. A visitor without an
 * account has no id, so presence does not list them as a person (the server vouches for ids).
 */
function caretUser(user: UserIdentity | null) {
  if (user === null) return { name: 'Guest', color: '#6b7280' };
  return { id: user.id, name: user.name, color: caretColor(user.color, user.id) };
}

/** The session's undo manager, tracking this editor's changes (the sync plugin's origin) too. */
function trackEdits(session: CollaborationSession) {
  session.undo.manager.addTrackedOrigin(ySyncPluginKey);
  return session.undo.manager;
}

type NameOf = (person: { id: string; name: string }) => string;

/**
 * Renders another user's caret with their name (with their email when someone else here has the
 * same name); text only, never markup.
 */
function renderCaret(user: Record<string, unknown>, nameOf: NameOf): HTMLElement {
  const plainName = typeof user.name === 'string' ? user.name : 'Someone';
  const name = typeof user.id === 'string' ? nameOf({ id: user.id, name: plainName }) : plainName;
  const color = typeof user.color === 'string' ? user.color : '#6b7280';
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.style.borderColor = color;
  // The avatar strip names who is here; a screen reader should not read names as document text.
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.textContent = name;
  caret.append(label);
  return caret;
}

/**
 * `editable` false: a viewer reads along, with everyone's carets, and has no toolbar. Memoized:
 * the workspace around it re-renders on every local change (the saving badge counts them), and
 * the editor has nothing to redraw for that.
 */
export const CollaborativeEditor = memo(function CollaborativeEditor({
  session,
  user,
  editable,
}: {
  session: CollaborationSession;
  user: UserIdentity | null;
  editable: boolean;
}) {
  const present = usePresence(session.provider);
  const nameOf = useDistinctNames(present);
  // The caret plugin keeps the render function it was given; it reads the current names here.
  const caretNames = useRef<NameOf>(nameOf);
  const shareToken = useShareToken();
  const documentId = session.provider.roomname;
  const [notice, setNotice] = useState<string | null>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const pasteOptions = { documentId, notify: setNotice };
  const editor = useEditor(
    {
      extensions: [
        // Collaboration brings the undo (Yjs, own changes only); the schema has no other.
        ...documentExtensions({ link: { openOnClick: false }, imageUrl: imageUrlFor(shareToken) }),
        PastedContent.configure(pasteOptions),
        CaretAfterTypedText,
        // The session's undo history, not one of the editor's own: it outlives this editor (the
        // history page comes between two), and holds restores this tab asked for (restoreUndo.ts).
        Collaboration.configure({ document: session.ydoc, field: DOCUMENT_FRAGMENT, yUndoOptions: { undoManager: trackEdits(session) } }),
        CollaborationCaret.configure({
          provider: session.provider,
          user: caretUser(user),
          render: (caretOwner) => renderCaret(caretOwner, caretNames.current),
        }),
      ],
      editable,
      editorProps: {
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Document body',
          spellcheck: 'true',
        },
      },
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
    },
    [session],
  );

  useEffect(() => {
    if (!editor.isDestroyed) editor.commands.updateUser(caretUser(user));
  }, [editor, user]);

  // A role change on the open connection turns editing on or off without a new editor.
  useEffect(() => {
    if (editor.isDestroyed) return;
    if (editor.isEditable !== editable) editor.setEditable(editable);
    // Set here, not in `attributes`: ProseMirror would put a stale value back on each update.
    editor.view.dom.setAttribute('aria-readonly', String(!editable));
  }, [editor, editable]);

  // Names told apart change without an awareness change (an email lookup answers): redraw carets.
  useEffect(() => {
    caretNames.current = nameOf;
    if (editor.isDestroyed) return;
    editor.view.dispatch(editor.state.tr.setMeta(yCursorPluginKey, { awarenessUpdated: true }));
  }, [editor, nameOf]);

  const state = useEditorState({ editor, selector: ({ editor: current }) => readToolbarState(current) });
  const words = useWordCount(editor);

  // Ctrl+K (link) and Ctrl+/ (shortcuts) anywhere in the editor, toolbar included.
  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (event.key === 'k' && editable) setLinkOpen(true);
    else if (event.key === '/') setShortcutsOpen(true);
    else return;
    event.preventDefault();
  };

  return (
    <div className="editor" onKeyDown={onKeyDown}>
      {editable && <Toolbar editor={editor} state={state} />}
      {editable && (
        <RichTools
          editor={editor}
          state={state}
          onLink={() => setLinkOpen(true)}
          onShortcuts={() => setShortcutsOpen(true)}
          onImages={(files) => void insertImageFiles(editor, files, pasteOptions)}
        />
      )}
      {linkOpen && <LinkPopover editor={editor} onClose={() => setLinkOpen(false)} />}
      {notice && (
        <p className="editor-notice" role="status">
          {notice}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      )}
      <EditorContent editor={editor} className="editor-surface" />
      <div className="editor-status">
        <p aria-live="off">{wordCountLabel(words)}</p>
        <ExportMenu documentId={documentId} shareToken={shareToken} />
      </div>
      {shortcutsOpen && <ShortcutsSheet onClose={() => setShortcutsOpen(false)} />}
    </div>
  );
});
