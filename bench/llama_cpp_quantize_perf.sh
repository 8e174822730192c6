#!/usr/bin/env bash
# Builds llama.cpp's test-quantize-perf from the llama.cpp source that the npm package
# node-llama-cpp ships (package.json pins it; `npm ci` installs it) and runs its q8_0 and q4_0
# vec_dot at llama.cpp's L3 size and at its memory size, twice: ggml built for this CPU
# (GGML_NATIVE: AVX-512 where present) and for AVX2 only, so bench/ratios.py --llama can put
# each beside our kernels at the same ISA level.
#
#   bench/llama_cpp_quantize_perf.sh WORK_DIR
#
# writes WORK_DIR/llama_native.txt and WORK_DIR/llama_avx2.txt (test-quantize-perf's own
# output). Only ggml-base and ggml-cpu are built (about 3 minutes per variant on 2 cores), not
# the whole of llama.cpp. $LLAMA_CPP_SRC, when set, names a llama.cpp checkout to use instead.
set -euo pipefail
work=${1:?usage: bench/llama_cpp_quantize_perf.sh WORK_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)

fail() {
  echo "llama_cpp_quantize_perf.sh: $*" >&2
  exit 2
}

src=${LLAMA_CPP_SRC:-$work/llama.cpp}
if [ -z "${LLAMA_CPP_SRC:-}" ] && [ ! -f "$src/tests/test-quantize-perf.cpp" ]; then
  bundle=$root/node_modules/node-llama-cpp/llama/gitRelease.bundle
  if [ ! -f "$bundle" ]; then
    command -v npm >/dev/null || fail "npm not found: install Debian's npm, or set LLAMA_CPP_SRC"
    echo "installing node-llama-cpp (package-lock.json) for llama.cpp's source" >&2
    (cd "$root" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --omit=optional --no-audit --no-fund \
      >"$work/npm.log" 2>&1) || fail "npm ci failed: see $work/npm.log"
  fi
  [ -f "$bundle" ] || fail "$bundle: not found after npm ci"
  rm -rf "$src.partial"
  git clone -q "$bundle" "$src.partial" 2>/dev/null || fail "$bundle: git clone failed"
  rm -rf "$src"
  mv "$src.partial" "$src"
fi
[ -f "$src/tests/test-quantize-perf.cpp" ] || fail "$src: no tests/test-quantize-perf.cpp"

# variant name, then its ggml CPU options
build_variant() {
  local name=$1
  shift
  local dir=$work/ggml-$name
  # llama.cpp's top level (its ggml/ folder does not configure on its own), nothing but the
  # libraries enabled.
  cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DGGML_OPENMP=OFF \
    -DGGML_CCACHE=OFF "$@" >"$dir.cmake.log" 2>&1 ||
    fail "cmake of ggml ($name) failed: see $dir.cmake.log"
  ninja -C "$dir" ggml-base ggml-cpu >"$dir.build.log" 2>&1 ||
    fail "build of ggml ($name) failed: see $dir.build.log"
  local cpu base
  cpu=$(find "$dir" -name 'libggml-cpu*.a' | head -1)
  base=$(find "$dir" -name 'libggml-base.a' | head -1)
  [ -n "$cpu" ] && [ -n "$base" ] || fail "ggml ($name): libraries not found under $dir"
  g++ -O2 -std=c++17 -I"$src/ggml/include" "$src/tests/test-quantize-perf.cpp" "$cpu" "$base" \
    -lpthread -lm -o "$work/test-quantize-perf-$name" 2>"$dir.link.log" ||
    fail "linking test-quantize-perf ($name) failed: see $dir.link.log"
}

# llama.cpp's L3_SIZE and MEM_SIZE (values per dot product), 20 timed calls each.
run_variant() {
  local name=$1
  "$work/test-quantize-perf-$name" --op vec_dot_q --type q8_0 --type q4_0 --size 655360 \
    --size 65536000 -i 20 >"$work/llama_$name.txt" ||
    fail "test-quantize-perf ($name) failed"
  echo "wrote $work/llama_$name.txt" >&2
}

build_variant native -DGGML_NATIVE=ON
build_variant avx2 -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF
run_variant native
run_variant avx2
