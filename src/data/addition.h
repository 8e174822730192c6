// "addition": byte sequences "a+b=c\n" with 1–4 digit operands, for a small language model.
// The sum c is written least-significant digit first ("57+68=521" means 125): the order in
// which carries are produced, which lets a small transformer learn exact addition (Lee et al.
// 2023, "Teaching Arithmetic to Small Transformers"). Only the answer and the newline are
// scored. Slices: digits (the longer operand's digit count) and carries.
#pragma once

#include <cstdint>
#include <string>

#include "data/dataset.h"

namespace qz::data {

constexpr int64_t kAdditionSeqLen = 16;  // tokens per sample: "9999+9999=89991\n" fits
constexpr int64_t kByteVocab = 256;

// The prompt "a+b=" and the answer (reversed digits of a+b, then '\n').
std::string addition_prompt(int64_t a, int64_t b);
std::string addition_answer(int64_t a, int64_t b);
// Number of carries when adding a and b in base 10.
int64_t count_carries(int64_t a, int64_t b);

// The built-in dataset: 120000 train, 2000 validation, 4000 test samples (× size_scale).
Dataset make_addition(const DataOptions& options);

}  // namespace qz::data
