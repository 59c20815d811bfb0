-- kycd's store on PostgreSQL, version 1: the same tables as the SQLite file (store/sqlite/),
-- shared by every replica. Text columns that are compared or sorted use the "C" collation, so
-- that an order is the byte order the SQLite store and the records' times have.

-- The chain's head: one row, locked (FOR UPDATE) by every transaction that appends, so that
-- the appends of all replicas form one chain in one order (store/chain.h).
CREATE TABLE chain_head (
  id smallint PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- From which record the links are keyed, and with which key.
CREATE TABLE chain_meta (
  name text PRIMARY KEY,
  value text NOT NULL);

CREATE TABLE policies (
  sha256 text PRIMARY KEY,
  text text NOT NULL,
  first_used text NOT NULL);
-- The lists and tables a policy read: its files by path, each content kept once by hash.
CREATE TABLE policy_files (
  policy_sha256 text NOT NULL,
  path text COLLATE "C" NOT NULL,
  file_sha256 text NOT NULL,
  PRIMARY KEY (policy_sha256, path));
CREATE TABLE file_contents (
  sha256 text PRIMARY KEY,
  content text NOT NULL);

CREATE TABLE decisions (
  seq bigint PRIMARY KEY,
  decision_id text NOT NULL UNIQUE,
  time text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  stage text NOT NULL,
  facts text NOT NULL,
  today text NOT NULL,
  policy_sha256 text NOT NULL,
  decision text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  effects text,
  -- The decision's summary for search (store/decision_summary.h), NULL for an activation and
  -- the chain's own records. Not chained.
  outcome text COLLATE "C",
  reasons text[],
  undetermined text[],
  missing text[],
  policy_version text COLLATE "C");
CREATE INDEX decisions_account ON decisions (account_id, seq);
CREATE INDEX decisions_time ON decisions (time);
CREATE INDEX decisions_outcome ON decisions (outcome, seq);
CREATE INDEX decisions_policy_version ON decisions (policy_version, seq);
CREATE INDEX decisions_reasons ON decisions USING gin (reasons);
CREATE INDEX decisions_activations ON decisions (seq) WHERE stage = 'activation';
CREATE INDEX decisions_without_account ON decisions (time) WHERE account_id = '';

-- Decision counts per hour (store/decision_query.h CountKind): what GET /v1/stats sums.
CREATE TABLE decision_counts (
  kind smallint NOT NULL,
  hour text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (kind, hour, name));

-- Idempotency-Key: the decision a key made, kept 24 hours; not chained (the decision is).
CREATE TABLE idempotency_keys (
  scope text PRIMARY KEY,
  request_sha256 text NOT NULL,
  decision_id text NOT NULL,
  created_at text COLLATE "C" NOT NULL);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- The account tables (store/account_store.h). Links and attempts are written with the
-- decision that makes them, in its transaction; every row is stated in the chain.
CREATE TABLE document_links (
  document_hash text NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  decision_id text NOT NULL,
  linked_at text NOT NULL,
  PRIMARY KEY (document_hash, account_id));
CREATE TABLE attempts (
  account_id text COLLATE "C" PRIMARY KEY,
  total bigint NOT NULL,
  failed bigint NOT NULL);
CREATE TABLE accounts (
  account_id text COLLATE "C" PRIMARY KEY,
  full_name text NOT NULL,
  birth_date text NOT NULL,
  country text NOT NULL,
  document_type text NOT NULL,
  document_hash text NOT NULL,
  updated_at text NOT NULL);

-- Per-account data keys, wrapped by the master key (hex), and the erased accounts by a keyed
-- digest of their id (store/account_keys.h).
CREATE TABLE account_keys (
  account_id text PRIMARY KEY,
  master_key_id text NOT NULL,
  wrapped text NOT NULL,
  created_at text NOT NULL);
CREATE TABLE erased_accounts (
  account_digest text PRIMARY KEY,
  erased_at text NOT NULL);
