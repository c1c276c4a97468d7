#!/usr/bin/env bash
# PostgreSQL + the pgvector extension, for the `pgvector` vector store and its tests (Debian 12).
# Run as root; `.ci/run` runs it after `npm run setup`. Idempotent: it does nothing when pgvector
# is already installed for this PostgreSQL.
#
# Debian 12 ships PostgreSQL 15 but no pgvector package, so this builds pgvector from the source
# package of the next Debian release (trixie): a temporary deb-src line (same mirror as this
# machine's apt sources), `apt-get source pgvector`, `make && make install`. The temporary line is
# removed again (and apt's lists refreshed) even when a step fails.
#
#   bash scripts/setup-pgvector.sh          PG_MAJOR=15 by default (the PostgreSQL of Debian 12)
set -euo pipefail
say() { echo "setup-pgvector: $*"; }
fail() { echo "setup-pgvector: $*" >&2; exit 1; }

pg_major=${PG_MAJOR:-15}
pg_bin=/usr/lib/postgresql/$pg_major/bin
pg_config=$pg_bin/pg_config
control=/usr/share/postgresql/$pg_major/extension/vector.control
library=/usr/lib/postgresql/$pg_major/lib/vector.so

if [ -x "$pg_bin/initdb" ] && [ -f "$control" ] && [ -f "$library" ]; then
  say "PostgreSQL $pg_major and pgvector are installed ($control)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || fail "installing PostgreSQL and pgvector needs root: sudo bash scripts/setup-pgvector.sh"
command -v apt-get >/dev/null || fail "this script needs apt (Debian 12 / Ubuntu); install PostgreSQL $pg_major and pgvector (https://github.com/pgvector/pgvector#installation) by hand"
export DEBIAN_FRONTEND=noninteractive

packages=(postgresql "postgresql-server-dev-$pg_major" build-essential dpkg-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || fail "apt-get install ${missing[*]} failed"
fi
[ -x "$pg_config" ] || fail "$pg_config is missing after installing postgresql-server-dev-$pg_major (is this Debian 12? set PG_MAJOR to the installed PostgreSQL major version)"
[ -f "$control" ] && [ -f "$library" ] && { say "pgvector is installed ($control)"; exit 0; }

# The mirror this machine already uses for Debian (deb822 .sources files or one-line .list files).
mirror_uri() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # One stanza per blank-line-separated paragraph: the first whose suites include a Debian suite.
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        uri = ""; debian = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
          if ($i ~ /^Suites:/ && $i ~ /(bookworm|trixie|bullseye)([ \t]|$)/) debian = 1
        }
        if (uri != "" && debian) { print uri; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # "deb [options] URI suite components": the URI is the first field after the options.
    sed -E -n 's/^[[:space:]]*deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+(bookworm|trixie|bullseye)([[:space:]].*)?$/\3/p' "$f"
  done
}
uri=$(mirror_uri | head -n 1)
[ -n "$uri" ] || fail "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/ to fetch pgvector's source package from"

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
sources=/etc/apt/sources.list.d/ragbench-pgvector-trixie-src.list
work=$(mktemp -d "${TMPDIR:-/tmp}/ragbench-pgvector.XXXXXX")
cleanup() {
  local status=$?
  rm -rf "$work"
  if [ -f "$sources" ]; then
    rm -f "$sources"
    say "removed the temporary source line; refreshing apt's lists"
    apt-get update -qq || echo "setup-pgvector: WARNING: apt-get update after removing $sources failed" >&2
  fi
  exit "$status"
}
trap cleanup EXIT

say "fetching pgvector's source package from trixie ($uri)"
if [ -f "$keyring" ]; then
  echo "deb-src [signed-by=$keyring] $uri trixie main" >"$sources"
else
  echo "deb-src $uri trixie main" >"$sources"
fi
apt-get update -qq || fail "apt-get update with the temporary trixie deb-src line ($sources) failed"
chmod 755 "$work"; chown _apt "$work" 2>/dev/null || true # apt's sandbox user (_apt) downloads into it
(cd "$work" && apt-get source -qq pgvector) || fail "apt-get source pgvector failed (no pgvector source package in trixie at $uri?)"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
[ -n "$src" ] || fail "apt-get source pgvector left no pgvector-* folder in $work"

say "building $(basename "$src") for PostgreSQL $pg_major"
make -C "$src" -s PG_CONFIG="$pg_config" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; fail "make failed (log above)"; }
make -C "$src" -s PG_CONFIG="$pg_config" install >>"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; fail "make install failed (log above)"; }
[ -f "$control" ] && [ -f "$library" ] || fail "make install finished but $control or $library is missing"
say "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$control") installed for PostgreSQL $pg_major"
