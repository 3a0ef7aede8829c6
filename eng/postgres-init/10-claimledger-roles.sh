#!/usr/bin/env bash
# Run once by the postgres image when it creates its data directory (docker-entrypoint-initdb.d):
# the ledger's two roles. claimledger_owner owns the ledger database and runs `claimledger db migrate`;
# claimledger_app is what the CLI and the server connect as (db migrate grants it what they need, nothing more).
set -euo pipefail
: "${CLAIMLEDGER_OWNER_PASSWORD:?set CLAIMLEDGER_OWNER_PASSWORD}"
: "${CLAIMLEDGER_APP_PASSWORD:?set CLAIMLEDGER_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$CLAIMLEDGER_OWNER_PASSWORD" -v app_password="$CLAIMLEDGER_APP_PASSWORD" -v db="${CLAIMLEDGER_DATABASE:-claimledger}" <<'SQL'
CREATE ROLE claimledger_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE claimledger_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SELECT format('CREATE DATABASE %I OWNER claimledger_owner', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO claimledger_owner', :'db') \gexec
SQL
