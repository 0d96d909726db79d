#!/usr/bin/env bash
# The whole test suite: installs what the tests need (when it can), runs every test once, and ends
# with "tests: N passed, N failed, N skipped". Exits non-zero when a test failed or none ran.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Tokens").
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium-headless-shell >/dev/null 2>&1 || missing+=(chromium-headless-shell)
command -v oathtool >/dev/null 2>&1 || missing+=(oathtool)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
# The PostgreSQL cases and the multi-instance test (instances behind nginx on one PostgreSQL).
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# systemd-analyze checks deploy/accesstokenpanel.service (no systemd needs to run).
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
# The SMTP server the notice tests send email to.
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
# A CJK font, or Chromium draws the Japanese screens (and their screenshots) as empty boxes.
fc-list :lang=ja 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
        apt_get=(apt-get)
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        apt_get=(sudo apt-get)
    else
        echo "The tests need these Debian packages: ${missing[*]}." >&2
        echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
        echo "tests: 0 passed, 0 failed, 0 skipped"
        exit 2
    fi
    echo "Installing ${missing[*]} ..."
    "${apt_get[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null \
        || { echo "apt-get could not install ${missing[*]}" >&2; echo "tests: 0 passed, 0 failed, 0 skipped"; exit 2; }
fi

dotnet tool restore >/dev/null

# The OpenID Provider the single sign-on tests start (npm package oidc-provider, versions locked).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || { echo "The single sign-on tests need Node.js and npm (Debian: apt-get install -y nodejs npm)." >&2; echo "tests: 0 passed, 0 failed, 0 skipped"; exit 2; }
npm ci --prefix AccessTokenPanel.Tests/Sso/provider --no-audit --no-fund --silent \
    || { echo "npm ci could not install the test OpenID Provider (AccessTokenPanel.Tests/Sso/provider)." >&2; echo "tests: 0 passed, 0 failed, 0 skipped"; exit 2; }

results=$(mktemp -d)
source scripts/postgres.sh
trap 'postgres_stop; rm -rf "$results"' EXIT
# A private PostgreSQL for this run; its address reaches the tests as ATP_POSTGRES. Without it the
# PostgreSQL cases are reported as skipped (with the reason), never as passed.
if ! postgres_start; then
    echo "Could not start PostgreSQL: the PostgreSQL cases will be skipped." >&2
    unset ATP_POSTGRES
fi
dotnet test AccessTokenPanel.sln --logger "trx" --results-directory "$results" \
    --blame-hang-timeout 10m "$@"
status=$?

passed=0; failed=0; skipped=0; total=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    total=$((total + $(value total)))
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    # xunit's skipped tests are in the total but in none of the outcome counters.
    skipped=$((skipped + $(value total) - $(value passed) - $(value failed) - $(value error) - $(value timeout) - $(value aborted)))
done

echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
exit "$status"
