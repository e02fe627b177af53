-- Trigram similarity for blocking on transliterated names (nodes/src/matching). On PGlite the
-- extension is loaded by the node (NODE_PGLITE_EXTENSIONS); PostgreSQL ships it in contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
