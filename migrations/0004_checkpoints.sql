CREATE TABLE IF NOT EXISTS claimledger.cl_checkpoints (
    origin          varchar                     NOT NULL,
    tree_size       bigint                      NOT NULL,
    root_hash       bytea                       NOT NULL,
    extends_size    bigint                      NOT NULL,
    note            text                        NOT NULL,
    published_at    timestamp with time zone    NOT NULL DEFAULT now(),
CONSTRAINT pkey_cl_checkpoints_origin_tree_size PRIMARY KEY (origin, tree_size)
);

CREATE UNIQUE INDEX cl_checkpoints_extends ON claimledger.cl_checkpoints USING btree (origin, extends_size);

CREATE INDEX cl_checkpoints_tree_size ON claimledger.cl_checkpoints USING btree (tree_size);
CREATE TABLE IF NOT EXISTS claimledger.cl_cosignatures (
    origin         varchar                     NOT NULL,
    tree_size      bigint                      NOT NULL,
    witness        varchar                     NOT NULL,
    key_id         bigint                      NOT NULL,
    line           text                        NOT NULL,
    cosigned_at    timestamp with time zone    NOT NULL,
    received_at    timestamp with time zone    NOT NULL DEFAULT now(),
CONSTRAINT pkey_cl_cosignatures_origin_tree_size_witness_key_id PRIMARY KEY (origin, tree_size, witness, key_id)
);

DO $do$
BEGIN
ALTER TABLE claimledger.cl_cosignatures
ADD CONSTRAINT cl_cosignatures_checkpoint FOREIGN KEY(origin, tree_size)
REFERENCES claimledger.cl_checkpoints(origin, tree_size);
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$do$;
DROP TRIGGER IF EXISTS cl_checkpoints_no_update_or_delete ON claimledger.cl_checkpoints;
CREATE TRIGGER cl_checkpoints_no_update_or_delete BEFORE UPDATE OR DELETE ON claimledger.cl_checkpoints FOR EACH ROW EXECUTE FUNCTION claimledger.cl_ledger_refuse_change();
DROP TRIGGER IF EXISTS cl_checkpoints_no_truncate ON claimledger.cl_checkpoints;
CREATE TRIGGER cl_checkpoints_no_truncate BEFORE TRUNCATE ON claimledger.cl_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION claimledger.cl_ledger_refuse_change();
DROP TRIGGER IF EXISTS cl_cosignatures_no_update_or_delete ON claimledger.cl_cosignatures;
CREATE TRIGGER cl_cosignatures_no_update_or_delete BEFORE UPDATE OR DELETE ON claimledger.cl_cosignatures FOR EACH ROW EXECUTE FUNCTION claimledger.cl_ledger_refuse_change();
DROP TRIGGER IF EXISTS cl_cosignatures_no_truncate ON claimledger.cl_cosignatures;
CREATE TRIGGER cl_cosignatures_no_truncate BEFORE TRUNCATE ON claimledger.cl_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION claimledger.cl_ledger_refuse_change();
