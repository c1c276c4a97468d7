#!/usr/bin/env bash
# System packages ragbench needs on Debian 12 (run as root; CI runs it before npm ci).
#   libfaiss-dev libopenblas-dev build-essential python3  build faiss-node against Debian's FAISS
#   poppler-utils                                         pdftotext, an external reference reader
#   r-doc-pdf                                             real PDFs (the R manuals) for tests and benchmarks
#   fonts-dejavu-core fonts-droid-fallback                fonts embedded when regenerating golden PDFs (Latin, CJK)
#   chromium                                              the real browser the report test drives
set -euo pipefail
packages=(libfaiss-dev libopenblas-dev build-essential python3 poppler-utils r-doc-pdf fonts-dejavu-core fonts-droid-fallback chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: all packages present"
  exit 0
fi
echo "setup-debian: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
