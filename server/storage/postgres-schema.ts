/** Versioned PostgreSQL migrations, and the start-up step that applies them. */
import type { SQL } from 'bun';

/**
 * Each runs once, in order, inside the start-up transaction that holds the migration lock.
 * Columns mirror `sqlite-schema.ts` (times are BIGINT epoch ms) so both stores map rows alike.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    color TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    updated_by TEXT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX documents_by_recency ON documents (updated_at DESC, id DESC);
  CREATE TABLE document_updates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    data BYTEA NOT NULL
  );
  CREATE INDEX document_updates_by_document ON document_updates (document_id, id);
  CREATE TABLE activity (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type TEXT NOT NULL,
    document_id TEXT NOT NULL,
    document_title TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_color TEXT NOT NULL,
    at BIGINT NOT NULL,
    -- JSON as TEXT, as in SQLite: JSONB would reject an excerpt holding U+0000.
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
  ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
  ALTER TABLE users ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
  UPDATE users SET disabled = TRUE;
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
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by TEXT REFERENCES users(id),
    used_at BIGINT
  );
  `,
  // 3: sharing. Every existing document keeps today's behaviour (every account edits it); a
  // deleted document keeps its metadata row (hidden) so its past activity stays as private as it was.
  `
  ALTER TABLE documents ADD COLUMN access_scope TEXT NOT NULL DEFAULT 'workspace' CHECK (access_scope IN ('private', 'workspace', 'link'));
  ALTER TABLE documents ADD COLUMN access_role TEXT NOT NULL DEFAULT 'editor' CHECK (access_role IN ('viewer', 'editor'));
  ALTER TABLE documents ADD COLUMN link_token TEXT;
  ALTER TABLE documents ADD COLUMN deleted_at BIGINT;
  CREATE UNIQUE INDEX documents_by_link_token ON documents (link_token);
  CREATE TABLE document_grants (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
    PRIMARY KEY (document_id, user_id)
  );
  CREATE INDEX document_grants_by_user ON document_grants (user_id, document_id);
  `,
  // 4: rich documents. Attachments (images) live in the shared database so every instance serves
  // every image, and go with their document; the search index is a weighted tsvector per document.
  `
  CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    data BYTEA NOT NULL
  );
  CREATE INDEX attachments_by_document ON attachments (document_id);
  CREATE TABLE search_index (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    indexed_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    vector TSVECTOR NOT NULL
  );
  CREATE INDEX search_index_vector ON search_index USING GIN (vector);
  `,
  // 5: history. A revision holds the change since the one before it (compressed Yjs updates per
  // author), so any revision is the merge of all up to it; the update log's compaction never
  // touches them.
  `
  CREATE TABLE revisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'named', 'restore')),
    label TEXT,
    created_at BIGINT NOT NULL,
    authors TEXT NOT NULL,
    inserted INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    words_inserted INTEGER NOT NULL,
    words_deleted INTEGER NOT NULL,
    state_vector BYTEA NOT NULL,
    changes BYTEA NOT NULL
  );
  CREATE INDEX revisions_by_document ON revisions (document_id, id);
  CREATE INDEX revisions_by_time ON revisions (kind, created_at);
  CREATE INDEX documents_in_trash ON documents (deleted_at) WHERE deleted_at IS NOT NULL;
  `,
  // 6: search at scale. A document records the change its index entry is as new as, so what is
  // left to index is a scan of a small partial index, not a join of every document with its
  // entry. The GIN index takes entries directly: with its pending list (fastupdate) every query
  // scanned up to 4 MB of not yet merged entries, a fixed cost even for a word in one document.
  `
  ALTER TABLE documents ADD COLUMN search_indexed_at BIGINT;
  UPDATE documents d SET search_indexed_at = s.indexed_at FROM search_index s WHERE s.document_id = d.id;
  CREATE INDEX documents_to_index ON documents (updated_at, id)
    WHERE deleted_at IS NULL AND (search_indexed_at IS NULL OR search_indexed_at < updated_at);
  ALTER INDEX search_index_vector SET (fastupdate = off);
  SELECT gin_clean_pending_list('search_index_vector'::regclass);
  `,
];

// Key of the advisory lock that start-ups queue on, paired with a hash of the schema name.
const MIGRATION_LOCK = 0x51554901;

/** Applies the pending migrations in one transaction; returns how many it applied. */
export async function migrate(sql: SQL, schema: string | null): Promise<number> {
  return sql.begin(async (tx) => {
    // Instances starting together queue here; each later one finds the versions recorded and
    // applies nothing. The lock comes before CREATE SCHEMA, which itself fails when it races.
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}, hashtext(${schema ?? ''}::text))`;
    if (schema !== null) await tx`CREATE SCHEMA IF NOT EXISTS ${tx(schema)}`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`;
    const [row] = await tx<{ version: number }[]>`SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations`;
    let applied = 0;
    for (let version = row!.version + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await tx.unsafe(POSTGRES_MIGRATIONS[version - 1]!);
      await tx`INSERT INTO schema_migrations (version, applied_at) VALUES (${version}, ${Date.now()})`;
      applied++;
    }
    return applied;
  });
}
