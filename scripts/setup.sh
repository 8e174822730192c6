#!/usr/bin/env bash
# Installs everything quantize needs from Debian 12's packages. Idempotent: when every package
# is already present it only checks and returns. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake git          # toolchain
  clang-format                       # lint (tests/lint): every C++ file as .clang-format writes it
  clang-tidy                         # lint (tests/lint): .clang-tidy's checks on the torch-free sources
  clang libclang-rt-14-dev           # sanitizer builds and libFuzzer (tests/sanitize)
  libtorch-dev                       # LibTorch 1.13.1 (CPU): models, training, PyTorch peers
  libopenblas-dev                    # the BLAS LibTorch uses for FP32 GEMM
  nlohmann-json3-dev                 # JSON: configs, safetensors headers, reports
  libcli11-dev                       # command-line parsing
  libfmt-dev                         # formatting
  libgtest-dev libgmock-dev          # tests
  libbenchmark-dev                   # bench/
  python3                            # test scripts read the JSON that quantize writes
  python3-torch                      # PyTorch 1.13 for Python: loads our TorchScript exports (tests/export)
  chromium                           # tests render report.html headless and screenshot it
  g++-aarch64-linux-gnu qemu-user    # the ARM64 (NEON) kernels, cross-built and tested under qemu (tests/arm64)
  googletest                         # GoogleTest's source, built for ARM64 by tests/arm64
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# npm installs the peers pinned in package.json (node-llama-cpp: llama.cpp's source, its GGUF
# reader and tokenizer test vocabularies, read by tests/cli/gguf_inspect.sh). A Node.js from
# elsewhere (NodeSource) brings its own npm, which Debian's npm package would conflict with.
command -v npm > /dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
