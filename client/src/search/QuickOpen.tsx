/**
 * The quick-open palette (Ctrl+Shift+P, ⌘⇧P): type a few words of a title or the text, arrow to
 * a result, Enter opens it. Not Ctrl+K, which makes links in the editor.
 */
import { lazy, Suspense, useEffect, useState } from 'react';

// Search code loads when the palette is first opened, never on the way to a page.
const Palette = lazy(() => import('./QuickOpenPalette.tsx').then((module) => ({ default: module.QuickOpenPalette })));

/** Whether a key press is the palette's shortcut. */
export function isQuickOpenKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): boolean {
  return (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'p';
}

/** Listens for the shortcut on the whole page while mounted, and shows the palette. */
export function QuickOpen() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!isQuickOpenKey(event)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <Palette onClose={() => setOpen(false)} />
    </Suspense>
  );
}
