-- The ledger's two roles on an existing server, run once by its administrator with psql:
--   psql -d claimledger -v owner_password='…' -v app_password='…' -f eng/claimledger-roles.sql
-- then `claimledger db migrate` as claimledger_owner, and the CLI and the server as claimledger_app (docs/database-roles.md).
\if :{?owner_password}
\else
  \prompt 'Password for claimledger_owner: ' owner_password
\endif
\if :{?app_password}
\else
  \prompt 'Password for claimledger_app: ' app_password
\endif
CREATE ROLE claimledger_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE claimledger_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SELECT format('ALTER DATABASE %I OWNER TO claimledger_owner', current_database()) \gexec
