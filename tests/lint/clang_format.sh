#!/usr/bin/env bash
# Lint: every C++ file the repository tracks (or the files given) is as clang-format (the
# repository's .clang-format) would write it. Prints each file it would change and fails.
#   clang_format.sh REPO [FILE...]
set -uo pipefail
repo=${1:?usage: clang_format.sh REPO [FILE...]}
shift
cd "$repo" || exit 2
command -v clang-format >/dev/null || { echo "FAIL: clang-format is not installed (scripts/setup.sh installs it)"; exit 1; }
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
fi
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no C++ files found under $repo"; exit 1; }
bad=0
for f in "${files[@]}"; do
  if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not clang-formatted: $f (run: clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
if [ $bad -gt 0 ]; then
  echo "FAIL: $bad of ${#files[@]} files need clang-format"
  exit 1
fi
echo "ok   ${#files[@]} files clang-formatted"
