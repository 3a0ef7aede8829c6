CREATE SEQUENCE claimledger.cl_matching_changes;
CREATE TABLE IF NOT EXISTS claimledger.cl_reference_reviews (
    result_id         varchar                     NOT NULL,
    identifier        varchar                     NULL,
    url               varchar                     NULL,
    claim_reviewed    text                        NOT NULL,
    headline          text                        NULL,
    description       text                        NULL,
    claimant          text                        NULL,
    rating            text                        NULL,
    rating_value      numeric                     NULL,
    best_rating       numeric                     NULL,
    worst_rating      numeric                     NULL,
    publisher         text                        NULL,
    date_published    text                        NULL,
    content_hash      bytea                       NOT NULL,
    model             varchar                     NOT NULL,
    embedding         real[]                      NOT NULL,
    search            tsvector                    NOT NULL,
    change            bigint                      NOT NULL DEFAULT nextval('claimledger.cl_matching_changes'),
    imported_at       timestamp with time zone    NOT NULL DEFAULT now(),
CONSTRAINT pkey_cl_reference_reviews_result_id PRIMARY KEY (result_id)
);

CREATE INDEX cl_reference_reviews_change ON claimledger.cl_reference_reviews USING btree (change);
CREATE TABLE IF NOT EXISTS claimledger.cl_claim_embeddings (
    claim_id     varchar     NOT NULL,
    statement    text        NOT NULL,
    model        varchar     NOT NULL,
    embedding    real[]      NOT NULL,
    search       tsvector    NOT NULL,
    change       bigint      NOT NULL DEFAULT nextval('claimledger.cl_matching_changes'),
CONSTRAINT pkey_cl_claim_embeddings_claim_id PRIMARY KEY (claim_id)
);

CREATE INDEX cl_claim_embeddings_change ON claimledger.cl_claim_embeddings USING btree (change);
