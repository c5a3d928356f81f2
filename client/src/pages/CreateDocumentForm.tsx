/** Creating a document, then opening it. */
import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { useCreateDocument } from '../api/documents.ts';
import { errorMessage } from '../api/problem.ts';

export function CreateDocumentForm() {
  const [title, setTitle] = useState('');
  const create = useCreateDocument();
  const [, navigate] = useLocation();
  const inputId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(title.trim() === '' ? 'Untitled' : title, {
      onSuccess: (document) => navigate(`/d/${encodeURIComponent(document.id)}`),
    });
  };

  return (
    <form className="create-form" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        New document title
      </label>
      <input
        id={inputId}
        className="input"
        placeholder="New document title"
        value={title}
        maxLength={200}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'New document'}
      </button>
      {create.isError && (
        <p className="field-error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </form>
  );
}
