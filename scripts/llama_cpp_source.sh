#!/usr/bin/env bash
# Puts llama.cpp's source at DEST (once) and prints DEST: node-llama-cpp, pinned in
# package.json / package-lock.json, carries it as a git bundle; `npm ci` installs the package
# (CPU build only, no download) when node_modules lacks it. Tests read its tokenizer test
# vocabularies (models/ggml-vocab-*.gguf) and its own GGUF reader (gguf-py).
# Usage: llama_cpp_source.sh DEST
set -euo pipefail
dest=${1:?usage: llama_cpp_source.sh DEST}
root=$(cd "$(dirname "$0")/.." && pwd)
fail() {
  echo "llama_cpp_source.sh: $*" >&2
  exit 2
}
# One install at a time (tests may ask concurrently).
exec 9> "${TMPDIR:-/tmp}/quantize-llama-cpp-source.lock"
flock 9
if [ ! -f "$dest/gguf-py/gguf/gguf_reader.py" ]; then
  bundle=$root/node_modules/node-llama-cpp/llama/gitRelease.bundle
  if [ ! -f "$bundle" ]; then
    command -v npm > /dev/null || fail "npm not found (bash scripts/setup.sh installs it)"
    log=$(mktemp)
    (cd "$root" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --omit=optional --ignore-scripts \
      --no-audit --no-fund > "$log" 2>&1) || fail "npm ci failed: $(tail -3 "$log")"
    rm -f "$log"
  fi
  [ -f "$bundle" ] || fail "$bundle: not found after npm ci"
  rm -rf "$dest.partial"
  git clone -q "$bundle" "$dest.partial" 2> /dev/null || fail "$bundle: git clone failed"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
fi
echo "$dest"
