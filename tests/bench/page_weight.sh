#!/usr/bin/env bash
# What each page kind weighs on the wire: the HTML, and the stylesheet and script every page
# loads, as sent plain, gzip and brotli (the server compresses when the browser asks).
# Usage: tests/bench/page_weight.sh [path/to/release/mahir]   (needs curl, python3)
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18083}"
PASS="bench-sandi-panjang"
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

login() {
  browser_login "$1" "$WORK/$1.jar"
  echo "$WORK/$1.jar"
}
size() { # jar path encoding
  curl -sf -o /dev/null -b "$1" -H "Accept-Encoding: $3" -w '%{size_download}' "$BASE$2"
}
first_link() { # jar page pattern
  curl -sf -b "$1" "$BASE$2" | grep -o "href=\"$3[^\"]*\"" | head -1 | sed 's/href="//;s/"$//'
}

LEARNER=$(login learner1)
INSTRUCTOR=$(login instructor)
ADMIN=$(login admin)
COURSE=$(first_link "$LEARNER" /courses /courses/0)
LESSON=$(first_link "$LEARNER" "$COURSE" /lessons/)
CSS=$(curl -sf -b "$LEARNER" "$BASE/" | grep -o '/assets/app\.[^"]*\.css' | head -1)
JS=$(curl -sf -b "$LEARNER" "$BASE/" | grep -o '/assets/app\.[^"]*\.js' | head -1)

printf '| %s | %s | %s | %s |\n' "what" "plain" "gzip" "brotli"
printf '|---|---|---|---|\n'
row() { # label jar path
  printf '| %s | %s B | %s B | %s B |\n' "$1" "$(size "$2" "$3" identity)" \
    "$(size "$2" "$3" gzip)" "$(size "$2" "$3" br)"
}
row "stylesheet \`app.css\`" "$LEARNER" "$CSS"
row "script \`app.js\`" "$LEARNER" "$JS"
row "learner: home \`/\`" "$LEARNER" /
row "learner: catalogue \`/courses\`" "$LEARNER" /courses
row "learner: course page" "$LEARNER" "$COURSE"
row "learner: lesson page" "$LEARNER" "$LESSON"
row "instructor: teaching \`/teach\`" "$INSTRUCTOR" /teach
row "admin: employees \`/admin/employees\`" "$ADMIN" /admin/employees
css_br=$(size "$LEARNER" "$CSS" br)
js_br=$(size "$LEARNER" "$JS" br)
css_gz=$(size "$LEARNER" "$CSS" gzip)
js_gz=$(size "$LEARNER" "$JS" gzip)
echo
echo "CSS + JS per page (the same two files on every page, cached immutable after the first):"
echo "gzip $((css_gz + js_gz)) B, brotli $((css_br + js_br)) B"
