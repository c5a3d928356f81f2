/** Versioned SQLite migrations: each runs once, in order, inside a transaction. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    color TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    updated_by TEXT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX documents_by_recency ON documents (updated_at DESC, id DESC);
  CREATE TABLE document_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  CREATE INDEX document_updates_by_document ON document_updates (document_id, id);
  CREATE TABLE activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    document_id TEXT NOT NULL,
    document_title TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_color TEXT NOT NULL,
    at INTEGER NOT NULL,
    details TEXT NOT NULL
  );
  CREATE INDEX activity_by_document ON activity (document_id, id);
  `,
  // 2: accounts. Users of the name-only sign-in stay (their documents and activity name them) as
  // disabled accounts without email or password; their sessions end.
  `
  ALTER TABLE users ADD COLUMN email TEXT;
  ALTER TABLE users ADD COLUMN password_hash TEXT;
  ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member'));
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
  UPDATE users SET disabled = 1;
  DELETE FROM sessions;
  CREATE UNIQUE INDEX users_by_email ON users (email);
  CREATE INDEX users_by_name ON users (name, id);
  CREATE INDEX sessions_by_user ON sessions (user_id);
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by TEXT REFERENCES users(id),
    used_at INTEGER
  );
  `,
  // 3: sharing. Every existing document keeps today's behaviour (every account edits it); a
  // deleted document keeps its metadata row (hidden) so its past activity stays as private as it was.
  `
  ALTER TABLE documents ADD COLUMN access_scope TEXT NOT NULL DEFAULT 'workspace' CHECK (access_scope IN ('private', 'workspace', 'link'));
  ALTER TABLE documents ADD COLUMN access_role TEXT NOT NULL DEFAULT 'editor' CHECK (access_role IN ('viewer', 'editor'));
  ALTER TABLE documents ADD COLUMN link_token TEXT;
  ALTER TABLE documents ADD COLUMN deleted_at INTEGER;
  CREATE UNIQUE INDEX documents_by_link_token ON documents (link_token);
  CREATE TABLE document_grants (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
    PRIMARY KEY (document_id, user_id)
  );
  CREATE INDEX document_grants_by_user ON document_grants (user_id, document_id);
  `,
  // 4: rich documents. Attachments (images) are kept in this file beside their document and go
  // with it; the search index is an FTS5 table whose rows follow search_index entries.
  `
  CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX attachments_by_document ON attachments (document_id);
  CREATE TABLE search_index (
    entry INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    indexed_at INTEGER NOT NULL
  );
  CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TRIGGER search_index_removed AFTER DELETE ON search_index BEGIN
    DELETE FROM search_fts WHERE rowid = old.entry;
  END;
  `,
  // 5: history. A revision holds the change since the one before it (compressed Yjs updates per
  // author), so any revision is the merge of all up to it; the update log's compaction never
  // touches them.
  `
  CREATE TABLE revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'named', 'restore')),
    label TEXT,
    created_at INTEGER NOT NULL,
    authors TEXT NOT NULL,
    inserted INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    words_inserted INTEGER NOT NULL,
    words_deleted INTEGER NOT NULL,
    state_vector BLOB NOT NULL,
    changes BLOB NOT NULL
  );
  CREATE INDEX revisions_by_document ON revisions (document_id, id);
  CREATE INDEX revisions_by_time ON revisions (kind, created_at);
  CREATE INDEX documents_in_trash ON documents (deleted_at) WHERE deleted_at IS NOT NULL;
  `,
  // 6: search at scale. A document records the change its index entry is as new as, so what is
  // left to index is a scan of a small partial index, not a join of every document with its
  // entry; the full-text table gains a prefix index, so a short last word (the prefix people are
  // still typing) is one lookup instead of a merge of every word it begins.
  `
  ALTER TABLE documents ADD COLUMN search_indexed_at INTEGER;
  UPDATE documents SET search_indexed_at = (SELECT s.indexed_at FROM search_index s WHERE s.document_id = documents.id);
  CREATE INDEX documents_to_index ON documents (updated_at, id)
    WHERE deleted_at IS NULL AND (search_indexed_at IS NULL OR search_indexed_at < updated_at);
  CREATE VIRTUAL TABLE search_fts_prefixed USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
  INSERT INTO search_fts_prefixed (rowid, title, body) SELECT rowid, title, body FROM search_fts;
  DROP TRIGGER search_index_removed;
  DROP TABLE search_fts;
  ALTER TABLE search_fts_prefixed RENAME TO search_fts;
  CREATE TRIGGER search_index_removed AFTER DELETE ON search_index BEGIN
    DELETE FROM search_fts WHERE rowid = old.entry;
  END;
  `,
];
