#!/usr/bin/env bash
# Regenerates the initial migration of both providers from the model (only while nothing has been
# released: after a release, add migrations instead of regenerating).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf AccessTokenPanel.Web/Data/Sqlite/Migrations AccessTokenPanel.Web/Data/SqlServer/Migrations
dotnet build AccessTokenPanel.Web -v q -nologo >/dev/null
dotnet ef migrations add InitialCreate --no-build --project AccessTokenPanel.Web --context SqlitePanelDbContext --output-dir Data/Sqlite/Migrations
dotnet ef migrations add InitialCreate --no-build --project AccessTokenPanel.Web --context SqlServerPanelDbContext --output-dir Data/SqlServer/Migrations
dotnet build AccessTokenPanel.Web -v q -nologo >/dev/null
