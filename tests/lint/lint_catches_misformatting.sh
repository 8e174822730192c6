#!/usr/bin/env bash
# The lint entry fails on a deliberately mis-formatted file and passes once it is formatted.
set -uo pipefail
repo=${1:?usage: lint_catches_misformatting.sh REPO}
dir=$(mktemp -d "$repo/.lint_probe.XXXXXX")
trap 'rm -rf "$dir"' EXIT
printf 'int  main( ){return 0 ;}\n' >"$dir/bad.cpp"
if bash "$repo/tests/lint/clang_format.sh" "$repo" "$dir/bad.cpp" >/dev/null; then
  echo "FAIL: the lint accepted a mis-formatted file"
  exit 1
fi
(cd "$repo" && clang-format --style=file -i "$dir/bad.cpp")
bash "$repo/tests/lint/clang_format.sh" "$repo" "$dir/bad.cpp" >/dev/null ||
  { echo "FAIL: the lint rejected the file after clang-format"; exit 1; }
echo "ok   the lint fails on a mis-formatted file and passes once it is formatted"
