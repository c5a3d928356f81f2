/** Downloads of the open document: Markdown, HTML, plain text and Word. */
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/rich-content.ts';

const LABELS: Readonly<Record<ExportFormat, string>> = { md: 'Markdown', html: 'HTML', txt: 'Plain text', docx: 'Word (.docx)' };

export function ExportMenu({ documentId, shareToken }: { documentId: string; shareToken: string | null }) {
  const share = shareToken ? `&share=${encodeURIComponent(shareToken)}` : '';
  return (
    <details className="export-menu">
      <summary>Export</summary>
      <ul>
        {EXPORT_FORMATS.map((format) => (
          <li key={format}>
            <a href={`/api/documents/${encodeURIComponent(documentId)}/export?format=${format}${share}`} download>
              {LABELS[format]}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
