/** A search snippet: escaped text with matches in `<mark>`, rendered as text and marks, never as markup. */
const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);

/** The snippet's parts: odd ones are matches. */
export function snippetParts(snippet: string): string[] {
  return snippet.split(/<\/?mark>/).map(decode);
}

export function Snippet({ html }: { html: string }) {
  return (
    <span className="snippet">
      {snippetParts(html).map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : <span key={index}>{part}</span>))}
    </span>
  );
}
