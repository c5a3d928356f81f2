/** A read-only address to send, with a button that copies it (or selects it where the clipboard is refused). */
import { useId, useRef, useState, type ReactNode } from 'react';

/** `note` follows the copy status in the same live line (an invite's expiry, say). */
export function CopyField({ label, value, note }: { label: string; value: string; note?: ReactNode }) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      // No clipboard access (an http origin, a refused permission): select it for a manual copy.
      input.current?.select();
      setCopied('select');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={inputId}>{label}</label>
      <div className="copy-field-row">
        <input ref={input} id={inputId} className="input" value={value} readOnly onFocus={(event) => event.target.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'copied' && 'Copied. '}
        {copied === 'select' && 'Press Ctrl+C (⌘C) to copy the selected link. '}
        {note}
      </p>
    </div>
  );
}
