#!/usr/bin/env bash
# Measures the splitter with ../shared/eval/score.py on the labelled pages
# and their renderings; prints each set's ALL row.
#
#   scripts/measure_split.sh [SHARED_DIR] [SET...]     (default: ../shared, all sets)
#
# Sets: pages, tune, check (the pages as they are); pdf-pages, pdf-tune,
# pdf-check (typeset as multi-column PDF pages by pdfrender.py and extracted
# with pdftotext); noisy-pages, noisy-tune, noisy-check (render.py). The
# renderings use their own seeds (measure-*), never the training seeds
# (train-*), and go to target/measure/ with the parsed output. check/ is for
# measuring only: never change a rule or a weight because of it.
#
# Env: MODEL=FILE measures another line-role model; VARIANTS (default 2) and
# CHECK_VARIANTS (default 6) renderings a page; RENDER=0 keeps the
# renderings of an earlier run. Needs reportlab and pdftotext, like
# scripts/train_line_roles.sh. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${1:-../shared}"
[ $# -gt 0 ] && shift
SETS=("$@")
[ ${#SETS[@]} -eq 0 ] && SETS=(pages tune check pdf-pages pdf-tune pdf-check noisy-pages noisy-tune noisy-check)
OUT="${OUT:-target/measure}"
VARIANTS="${VARIANTS:-2}"
CHECK_VARIANTS="${CHECK_VARIANTS:-6}"
[ -e "$SHARED/eval/score.py" ] || { echo "missing $SHARED/eval/score.py: give the shared directory as the first argument" >&2; exit 2; }

source_of() { # set -> "GOLD PAGES"
  case "$1" in
    *pages) echo "$SHARED/gold $SHARED/pages" ;;
    *tune) echo "$SHARED/corpus/tune/gold $SHARED/corpus/tune/pages" ;;
    *check) echo "$SHARED/corpus/check/gold $SHARED/corpus/check/pages" ;;
  esac
}

cargo build --release --quiet --example parse_many
mkdir -p "$OUT"
for set in "${SETS[@]}"; do
  read -r gold pages <<< "$(source_of "$set")"
  case "$set" in
    pdf-* | noisy-*)
      tool=pdfrender.py
      [[ "$set" == noisy-* ]] && tool=render.py
      n="$VARIANTS"
      [[ "$set" == *check ]] && n="$CHECK_VARIANTS"
      if [ "${RENDER:-1}" != 0 ] || [ ! -d "$OUT/$set/gold" ]; then
        rm -rf "$OUT/$set"
        python3 "$SHARED/tools/$tool" "$gold" "$pages" "$OUT/$set" "measure-$set" --variants "$n" > /dev/null
      fi
      gold="$OUT/$set/gold" pages="$OUT/$set/pages"
      ;;
  esac
  rm -rf "$OUT/parsed/$set"
  mkdir -p "$OUT/parsed/$set"
  target/release/examples/parse_many "$gold" "$pages" "$OUT/parsed/$set" ${MODEL:+"$MODEL"} > /dev/null
  table="$(python3 "$SHARED/eval/score.py" --gold "$gold" --pages "$pages" \
    --cmd "cat $OUT/parsed/$set/\$(basename {page} .txt).json")"
  if [ -z "${header:-}" ]; then
    header=1
    printf '%-12s %s\n' set "$(head -1 <<< "$table" | cut -c33-)"
  fi
  printf '%-12s %s\n' "$set" "$(grep '^ALL' <<< "$table" | cut -c33-)"
done
