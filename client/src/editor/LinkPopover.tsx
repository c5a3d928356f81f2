/** Adds, edits or removes the link at the selection (Ctrl+K): only http, https and mailto links are made. */
import type { Editor } from '@tiptap/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isSafeLink } from '../../../shared/editor-schema.ts';

/** What a person typed as a link target, with https:// added when no scheme was given; null if it may not be a link. */
export function linkTarget(typed: string): string | null {
  const value = typed.trim();
  if (!value) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : value.includes('@') && !value.includes('/') ? `mailto:${value}` : `https://${value}`;
  return isSafeLink(withScheme) ? withScheme : null;
}

export function LinkPopover({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const current = editor.getAttributes('link').href as string | undefined;
  const [value, setValue] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const href = linkTarget(value);
    if (!href) {
      setError('Links must start with http://, https:// or mailto:');
      return;
    }
    const chain = editor.chain().focus().extendMarkRange('link');
    if (editor.state.selection.empty && !current) chain.insertContent({ type: 'text', text: value.trim(), marks: [{ type: 'link', attrs: { href } }] }).run();
    else chain.setLink({ href }).run();
    onClose();
  };
  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  return (
    <form className="link-popover" role="dialog" aria-label="Link" onSubmit={apply} onKeyDown={(event) => event.key === 'Escape' && (editor.commands.focus(), onClose())}>
      <label>
        Link address
        <input ref={input} type="text" inputMode="url" value={value} onChange={(event) => (setValue(event.target.value), setError(null))} placeholder="https://example.com" />
      </label>
      <button type="submit">{current ? 'Update link' : 'Add link'}</button>
      {current && (
        <button type="button" onClick={remove}>
          Remove link
        </button>
      )}
      <button type="button" onClick={() => (editor.commands.focus(), onClose())}>
        Cancel
      </button>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </form>
  );
}
