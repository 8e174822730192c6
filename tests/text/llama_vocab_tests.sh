#!/usr/bin/env bash
# Runs the LlamaVocab tests (tests/text/llama_vocab_test.cpp) against llama.cpp's tokenizer test
# vocabularies, which scripts/llama_cpp_source.sh takes from node-llama-cpp's llama.cpp source.
# Usage: llama_vocab_tests.sh FAST_TESTS_BINARY BUILD_DIR
set -euo pipefail
bin=${1:?usage: llama_vocab_tests.sh FAST_TESTS_BINARY BUILD_DIR}
build=${2:?usage: llama_vocab_tests.sh FAST_TESTS_BINARY BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$(bash "$root/scripts/llama_cpp_source.sh" "$build/llama.cpp-src")
QZ_LLAMA_VOCABS=$src/models "$bin" --gtest_filter='LlamaCpp/LlamaVocab.*' | tee /dev/stderr |
  grep -q '\[  PASSED  \] 5 tests' || { echo "llama_vocab_tests.sh: not all 5 vocabularies passed" >&2; exit 1; }
