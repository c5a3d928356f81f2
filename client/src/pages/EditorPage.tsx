/** `/d/:id`: a document opened by account. */
import { useParams } from 'wouter';
import type { User } from '../../../shared/dto.ts';
import { DocumentLoader } from './DocumentLoader.tsx';

export function EditorPage({ user }: { user: User }) {
  const { id = '' } = useParams();
  return (
    <main className="page page-wide" id="main">
      <DocumentLoader id={id} user={user} />
    </main>
  );
}
