#!/usr/bin/env bash
# Fidelity of our PDF against LibreOffice's PDF of our DOCX, per sample: page counts and the share
# of lines with the same words (the test fails below 95 %). Also writes PNGs of page 1 and the last
# page of each sample, ours on the left and LibreOffice's on the right, to look at.
#   scripts/fidelity.sh [OUT_DIR]      (default: out/fidelity)
# Needs LibreOffice, poppler-utils and ImageMagick (montage); .ci/run installs the first two.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/fidelity}"
rm -rf "$out" && mkdir -p "$out"
out="$(cd "$out" && pwd)"
KEHOACH_FIDELITY_DIR="$out" KEHOACH_FIDELITY_VERBOSE=1 \
  cargo test --release --quiet --test fidelity -- --nocapture 2>&1 | grep -v '^running\|^$\|^test result' || true
if command -v pdftoppm >/dev/null && command -v montage >/dev/null; then
  for pdf in "$out"/*.pdf; do
    stem=$(basename "$pdf" .pdf)
    n=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    for p in 1 "$n"; do
      pdftoppm -r 60 -png -f "$p" -l "$p" -singlefile "$pdf" "$out/$stem-$p-ours"
      pdftoppm -r 60 -png -f "$p" -l "$p" -singlefile "$out/lo/$stem.pdf" "$out/$stem-$p-lo"
      montage "$out/$stem-$p-ours.png" "$out/$stem-$p-lo.png" -tile 2x1 -geometry +6+0 -background gray \
        "$out/$stem-page$p.png" 2>/dev/null
      rm -f "$out/$stem-$p-ours.png" "$out/$stem-$p-lo.png"
    done
  done
  echo "PNG: $out/*-page*.png (left: kehoach, right: LibreOffice)"
fi
