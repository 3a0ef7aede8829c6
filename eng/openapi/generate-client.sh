#!/usr/bin/env bash
# Regenerates the typed client the contract test drives (tests/ClaimLedger.IntegrationTests/GeneratedClient) from the
# OpenAPI document a running server serves, with Kiota (a .NET tool from NuGet). Run it after changing the API:
#   ./claimledger serve --urls http://127.0.0.1:5080 &   then   eng/openapi/generate-client.sh http://127.0.0.1:5080
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server="${1:-http://127.0.0.1:5080}"
out="$root/tests/ClaimLedger.IntegrationTests/GeneratedClient"
tools="$root/eng/openapi/.tools"
if [ ! -x "$tools/kiota" ]; then
  dotnet tool install Microsoft.OpenApi.Kiota --version 1.38.0 --tool-path "$tools"
fi
rm -rf "$out"
mkdir -p "$out"
curl -fsS "$server/openapi/v1.json" -o "$out/openapi.json"
KIOTA_TUTORIAL_ENABLED=false "$tools/kiota" generate -l CSharp -d "$out/openapi.json" -o "$out" \
  -c ClaimLedgerClient -n ClaimLedger.IntegrationTests.GeneratedClient --exclude-backward-compatible --clean-output false
