CREATE SEQUENCE claimledger.cl_ledger_tickets;
CREATE TABLE IF NOT EXISTS claimledger.cl_ledger_queue (
    ticket        bigint                      NOT NULL DEFAULT nextval('claimledger.cl_ledger_tickets'),
    stream_id     varchar                     NOT NULL,
    version       bigint                      NOT NULL,
    event_id      uuid                        NOT NULL,
    entry_hash    bytea                       NOT NULL,
    prev_hash     bytea                       NOT NULL,
    encoding      integer                     NOT NULL,
    written_at    timestamp with time zone    NOT NULL DEFAULT now(),
CONSTRAINT pkey_cl_ledger_queue_ticket PRIMARY KEY (ticket)
);

CREATE UNIQUE INDEX cl_ledger_queue_stream_version ON claimledger.cl_ledger_queue USING btree (stream_id, version);
DROP TRIGGER IF EXISTS cl_ledger_queue_no_update ON claimledger.cl_ledger_queue;
CREATE TRIGGER cl_ledger_queue_no_update BEFORE UPDATE ON claimledger.cl_ledger_queue FOR EACH ROW EXECUTE FUNCTION claimledger.cl_ledger_refuse_change();
DROP TRIGGER IF EXISTS cl_ledger_queue_no_truncate ON claimledger.cl_ledger_queue;
CREATE TRIGGER cl_ledger_queue_no_truncate BEFORE TRUNCATE ON claimledger.cl_ledger_queue FOR EACH STATEMENT EXECUTE FUNCTION claimledger.cl_ledger_refuse_change();
CREATE OR REPLACE FUNCTION claimledger.cl_ledger_sequence(max_entries integer) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  last_position bigint;
  moved bigint;
BEGIN
  -- One sequencer at a time; writers never take this lock.
  PERFORM pg_advisory_xact_lock(4858342096385828210);
  -- Each statement below reads a snapshot taken after the lock: it sees the previous batch, and only
  -- entries whose transactions have committed. Later commits wait for the next batch.
  SELECT coalesce(max(position), 0) INTO last_position FROM claimledger.cl_ledger_entries;
  WITH batch AS (
    DELETE FROM claimledger.cl_ledger_queue
    WHERE ticket IN (SELECT ticket FROM claimledger.cl_ledger_queue ORDER BY ticket LIMIT max_entries)
    RETURNING ticket, stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at
  )
  INSERT INTO claimledger.cl_ledger_entries (position, stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at)
  SELECT last_position + row_number() OVER (ORDER BY ticket), stream_id, version, event_id, entry_hash, prev_hash, encoding, written_at
  FROM batch;
  GET DIAGNOSTICS moved = ROW_COUNT;
  RETURN moved;
END
$$;
