#!/usr/bin/env bash
# Adds one named migration to each provider's folder (SQLite, PostgreSQL, SQL Server) for the model's
# changes since the last migration:   scripts/add-migration.sh UniqueExternalId
# It never deletes or regenerates a migration: the existing ones are the upgrade path of every
# database already deployed. Review each new Up/Down afterwards: rows that the new schema refuses
# (duplicates under a new unique index, NULLs under a new NOT NULL) must be dealt with there first.
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:-}
if [[ $# -ne 1 || ! $name =~ ^[A-Z][A-Za-z0-9]*$ ]]; then
    echo "usage: scripts/add-migration.sh <Name>   (PascalCase, says what changes, e.g. UniqueExternalId)" >&2
    exit 2
fi

# context name prefix = folder under AccessTokenPanel.Web/Data
providers=(Sqlite PostgreSql SqlServer)
for provider in "${providers[@]}"; do
    if compgen -G "AccessTokenPanel.Web/Data/$provider/Migrations/*_$name.cs" >/dev/null; then
        echo "Data/$provider/Migrations already has a migration named $name: choose another name." >&2
        exit 1
    fi
done

dotnet tool restore >/dev/null
dotnet build AccessTokenPanel.Web -v q -nologo
for provider in "${providers[@]}"; do
    dotnet ef migrations add "$name" --no-build --project AccessTokenPanel.Web \
        --context "${provider}PanelDbContext" --output-dir "Data/$provider/Migrations"
done

# Migrations apply in the order of their timestamped names: a new one sorting before an existing one
# (a clock set back) would be applied out of order on fresh databases.
for provider in "${providers[@]}"; do
    last=$(ls "AccessTokenPanel.Web/Data/$provider/Migrations" | grep -E '^[0-9]{14}_' | grep -v '\.Designer\.cs$' | sort | tail -n 1)
    if [[ $last != *"_$name.cs" ]]; then
        echo "Data/$provider/Migrations: $name does not sort last ($last does); check the clock." >&2
        exit 1
    fi
done

dotnet build AccessTokenPanel.Web -v q -nologo >/dev/null
echo "Added $name for SQLite, PostgreSQL and SQL Server (AccessTokenPanel.Web/Data/*/Migrations)."
echo "Review each Up and Down, then run: dotnet test AccessTokenPanel.Tests --filter FullyQualifiedName~MigrationTests"
