#!/usr/bin/env bash
# System packages ragbench needs on Debian 12 / Ubuntu. Run as root: `npm run setup` runs it
# (with sudo when needed) before installing the npm packages; CI runs it before npm ci.
#   libfaiss-dev libopenblas-dev build-essential python3  build faiss-node against the system FAISS (required)
#   poppler-utils                                         pdftotext, an external reference reader (tests)
#   r-doc-pdf                                             real PDFs (the R manuals) for tests and benchmarks
#   r-doc-html                                            the R manuals' HTML edition: ground truth for extraction accuracy
#   fonts-dejavu-core fonts-droid-fallback                fonts embedded when regenerating golden PDFs (tests)
#   chromium                                              the real browser the report test drives (tests)
#   pgvector (PostgreSQL 15 + pgvector, built from source by scripts/setup-pgvector.sh)  the pgvector store (tests)
#
#   bash scripts/setup-debian.sh [--missing]   --missing: print the packages not installed yet, install nothing
set -euo pipefail
required=(libfaiss-dev libopenblas-dev build-essential python3)
for_tests=(poppler-utils r-doc-pdf r-doc-html fonts-dejavu-core fonts-droid-fallback chromium)
missing=()
for p in "${required[@]}" "${for_tests[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
pg_major=${PG_MAJOR:-15}
[ -f "/usr/share/postgresql/$pg_major/extension/vector.control" ] && [ -x "/usr/lib/postgresql/$pg_major/bin/initdb" ] || missing+=(pgvector)
if [ "${1:-}" = --missing ]; then
  echo "${missing[*]}"
  exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-debian: installing packages needs root: sudo bash scripts/setup-debian.sh   (missing: ${missing[*]})" >&2
  exit 1
fi
echo "setup-debian: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# Install what this system's apt sources offer (Ubuntu, for one, has no `chromium` deb): a missing
# build prerequisite is an error, a missing test-only package a warning naming what it is for.
installable=()
for p in "${missing[@]}"; do
  [ "$p" = pgvector ] && continue # built below
  if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
    installable+=("$p")
  elif [[ " ${required[*]} " == *" $p "* ]]; then
    echo "setup-debian: package $p is not in this system's apt sources; faiss-node cannot be built without it" >&2
    echo "setup-debian: (on Ubuntu, enable the universe component: add-apt-repository universe)" >&2
    exit 1
  else
    echo "setup-debian: WARNING: package $p is not in this system's apt sources: skipped; the tests that need it will fail (see the comment at the top of this script)" >&2
  fi
done
if [ ${#installable[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${installable[@]}"
fi

# PostgreSQL + pgvector for the pgvector store: Debian 12 has no pgvector package, so it is built
# from the next release's source package (a no-op once installed).
bash "$(dirname "$0")/setup-pgvector.sh"
