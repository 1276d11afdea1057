#!/usr/bin/env bash
# Makes the text corpora for the demo model and the tokenizer tests.
#
# Usage: scripts/make_corpus.sh OUT_DIR
#
# Writes
#   OUT_DIR/kjv.txt              the King James Bible (public domain), one
#                                verse per line, verse references removed
#   OUT_DIR/tokenizer-corpus/    several MB of varied text as .txt files, for
#                                scripts/make_tokenizer_fixtures.py (a ~50k
#                                vocabulary needs more variety than the Bible):
#                                  kjv.txt            a copy of the above
#                                  words.txt          /usr/share/dict/words
#                                  licenses.txt       /usr/share/common-licenses/*
#                                  python-NN.txt      Python standard library
#                                                     sources, in ~2 MB parts
#
# The text comes from Debian packages: bible-kjv (the `bible` program and its
# data) and wamerican (/usr/share/dict/words). Missing ones are installed with
# apt-get (needs root or sudo). Python sources are read from /usr/lib/python3*/
# (site-packages and dist-packages left out), capped so that the tokenizer
# corpus stays under ~30 MB.
#
# Idempotent: every file is rebuilt from the same inputs (in sorted order) and
# replaced atomically, so a second run gives the same bytes. Needs bash, awk,
# sed and python3 (standard library only).
set -euo pipefail

usage() {
  echo "usage: $0 OUT_DIR" >&2
  exit 2
}
[ $# -eq 1 ] || usage
OUT_DIR=$1

die() {
  echo "make_corpus: error: $*" >&2
  exit 1
}
log() {
  echo "make_corpus: $*"
}

# Total size cap of the tokenizer corpus, and of its Python part.
TOKENIZER_CORPUS_MAX_BYTES=$((30 * 1000 * 1000))
KJV_VERSES=31102

install_pkg() { # PACKAGE
  local pkg=$1
  log "installing Debian package $pkg"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      die "$pkg is not installed and this is not root (and there is no sudo); install it with: apt-get install $pkg"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "$pkg is missing and there is no apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" ||
    { $sudo apt-get update && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg"; } ||
    die "apt-get could not install $pkg"
}

command -v bible >/dev/null 2>&1 || install_pkg bible-kjv
command -v bible >/dev/null 2>&1 || die "bible-kjv is installed but there is no 'bible' program on PATH"
[ -s /usr/share/dict/words ] || install_pkg wamerican
[ -s /usr/share/dict/words ] || die "/usr/share/dict/words is missing after installing wamerican"
command -v python3 >/dev/null 2>&1 || die "python3 is needed"

mkdir -p "$OUT_DIR/tokenizer-corpus"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/make_corpus.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# --- kjv.txt ---------------------------------------------------------------
# `bible -f` prints "Ge1:1 In the beginning ...", one verse per line. Its line
# width comes from COLUMNS when -f wraps; a huge width keeps one line per
# verse, and any continuation line (one that does not start with a verse
# reference) is joined back onto its verse anyway.
COLUMNS=100000 bible -f Gen1:1-Rev22:21 </dev/null >"$TMP/raw.txt" ||
  die "'bible -f Gen1:1-Rev22:21' failed"
[ -s "$TMP/raw.txt" ] || die "'bible -f Gen1:1-Rev22:21' printed nothing"

LC_ALL=C awk '
  function flush() { if (have) print verse; have = 0 }
  /^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ / {
    flush()
    sub(/^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ +/, "")
    verse = $0; have = 1; next
  }
  /^[ \t]*$/ { next }
  {
    if (!have) { print "make_corpus: text before the first verse: " $0 > "/dev/stderr"; bad = 1; exit 1 }
    line = $0; sub(/^[ \t]+/, "", line); verse = verse " " line
  }
  END { if (!bad) flush() }
' "$TMP/raw.txt" |
  LC_ALL=C sed -E -e 's/[[:space:]]+$//' -e 's/  +/ /g' >"$TMP/kjv.txt"

verses=$(wc -l <"$TMP/kjv.txt")
[ "$verses" -eq "$KJV_VERSES" ] ||
  die "got $verses verses from 'bible', expected $KJV_VERSES (the KJV's count)"
if LC_ALL=C grep -qE '^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ ' "$TMP/kjv.txt"; then
  die "a verse reference survived the stripping: $(LC_ALL=C grep -m1 -E '^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ ' "$TMP/kjv.txt")"
fi
if LC_ALL=C grep -q '^$' "$TMP/kjv.txt"; then
  die "kjv.txt has an empty line"
fi
first=$(head -n1 "$TMP/kjv.txt")
[ "$first" = "In the beginning God created the heaven and the earth." ] ||
  die "unexpected first verse: $first"
mv -f "$TMP/kjv.txt" "$OUT_DIR/kjv.txt"

# --- tokenizer-corpus/ -----------------------------------------------------
python3 - "$OUT_DIR" "$TOKENIZER_CORPUS_MAX_BYTES" <<'PY'
import glob
import os
import sys

out_dir, max_bytes = sys.argv[1], int(sys.argv[2])
corpus = os.path.join(out_dir, "tokenizer-corpus")
PART_BYTES = 2 * 1000 * 1000


def write(name, text):
    path = os.path.join(corpus, name)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)
    return len(text.encode("utf-8"))


def read_utf8(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


wanted = {"kjv.txt", "words.txt", "licenses.txt"}
total = 0
with open(os.path.join(out_dir, "kjv.txt"), encoding="utf-8") as f:
    total += write("kjv.txt", f.read())
words = read_utf8("/usr/share/dict/words")
if words is None:
    sys.exit("make_corpus: error: /usr/share/dict/words is not readable UTF-8")
total += write("words.txt", words)

licenses = []
for path in sorted(glob.glob("/usr/share/common-licenses/*")):
    if os.path.isfile(path):
        text = read_utf8(path)
        if text is not None:
            licenses.append(text)
total += write("licenses.txt", "\n".join(licenses))

# Python sources, sorted, until the cap; files that are not UTF-8 are skipped.
sources, skipped = [], 0
for root in sorted(glob.glob("/usr/lib/python3*")):
    if not os.path.isdir(root) or os.path.islink(root):
        continue
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in ("site-packages", "dist-packages",
                                          "__pycache__"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                sources.append(os.path.join(dirpath, name))

budget = max_bytes - total
parts, part, part_bytes, used = [], [], 0, 0
for path in sources:
    text = read_utf8(path)
    if text is None:
        skipped += 1
        continue
    size = len(text.encode("utf-8"))
    if used + size > budget:
        break
    part.append(text)
    part_bytes += size
    used += size
    if part_bytes >= PART_BYTES:
        parts.append("\n".join(part))
        part, part_bytes = [], 0
if part:
    parts.append("\n".join(part))
for i, text in enumerate(parts):
    name = f"python-{i:02d}.txt"
    wanted.add(name)
    total += write(name, text)

# Parts left over from an earlier run with more Python text.
for name in os.listdir(corpus):
    if name not in wanted:
        os.remove(os.path.join(corpus, name))
print(f"make_corpus: tokenizer corpus: {len(parts)} Python parts from "
      f"{len(sources)} source files ({skipped} not UTF-8, skipped), "
      f"{total / 1e6:.1f} MB in all")
if total < 5 * 1000 * 1000:
    sys.exit("make_corpus: error: the tokenizer corpus is under 5 MB; "
             "a 50k vocabulary needs more varied text")
PY

# --- sizes -----------------------------------------------------------------
kjv_bytes=$(wc -c <"$OUT_DIR/kjv.txt")
log "kjv.txt: $verses verses, $kjv_bytes bytes ($OUT_DIR/kjv.txt)"
log "tokenizer-corpus/:"
for f in "$OUT_DIR"/tokenizer-corpus/*.txt; do
  printf 'make_corpus:   %-20s %10d bytes\n' "$(basename "$f")" "$(wc -c <"$f")"
done
log "tokenizer-corpus total: $(cat "$OUT_DIR"/tokenizer-corpus/*.txt | wc -c) bytes"
