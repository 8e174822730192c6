#include "data/addition.h"

#include <algorithm>

#include "core/rng.h"

namespace qz::data {
namespace {

constexpr int64_t kMaxDigits = 4;
constexpr int64_t kTrain = 120000, kVal = 2000, kTest = 4000;

int64_t digits_of(int64_t x) {
  return x < 10 ? 1 : 1 + digits_of(x / 10);
}

// A uniform number with exactly `digits` digits (0 counts as a 1-digit number).
int64_t draw_operand(Rng& rng, int64_t digits) {
  if (digits == 1) return rng.range(0, 9);
  int64_t lo = 1;
  for (int64_t i = 1; i < digits; ++i) lo *= 10;
  return rng.range(lo, lo * 10 - 1);
}

Split make_split(int64_t count, uint64_t seed) {
  const int64_t t = kAdditionSeqLen;
  auto inputs = torch::zeros({count, t}, torch::kInt64);
  auto targets = torch::zeros({count, t}, torch::kInt64);
  auto mask = torch::zeros({count, t});
  auto slices = torch::empty({count, 2}, torch::kInt64);
  int64_t* in = inputs.data_ptr<int64_t>();
  int64_t* tg = targets.data_ptr<int64_t>();
  float* mk = mask.data_ptr<float>();
  int64_t* sl = slices.data_ptr<int64_t>();
  Rng rng(seed);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t a = draw_operand(rng, rng.range(1, kMaxDigits));
    const int64_t b = draw_operand(rng, rng.range(1, kMaxDigits));
    const std::string prompt = addition_prompt(a, b);
    const std::string text = prompt + addition_answer(a, b);
    // Position p reads text[p] and predicts text[p+1]; answer bytes start at prompt.size().
    for (size_t p = 0; p + 1 < text.size(); ++p) {
      in[i * t + p] = static_cast<unsigned char>(text[p]);
      tg[i * t + p] = static_cast<unsigned char>(text[p + 1]);
      if (p + 1 >= prompt.size()) mk[i * t + p] = 1.0f;
    }
    sl[i * 2 + 0] = std::max(digits_of(a), digits_of(b)) - 1;
    sl[i * 2 + 1] = count_carries(a, b);
  }
  return {inputs, targets, mask, slices};
}

}  // namespace

std::string addition_prompt(int64_t a, int64_t b) {
  return std::to_string(a) + "+" + std::to_string(b) + "=";
}

std::string addition_answer(int64_t a, int64_t b) {
  std::string sum = std::to_string(a + b);
  std::reverse(sum.begin(), sum.end());
  return sum + "\n";
}

int64_t count_carries(int64_t a, int64_t b) {
  int64_t carries = 0, carry = 0;
  while (a > 0 || b > 0) {
    carry = (a % 10 + b % 10 + carry) >= 10 ? 1 : 0;
    carries += carry;
    a /= 10;
    b /= 10;
  }
  return carries;
}

Dataset make_addition(const DataOptions& options) {
  Dataset d;
  d.spec = "addition";
  d.task = Task::LanguageModel;
  d.num_classes = kByteVocab;
  d.seq_len = kAdditionSeqLen;
  d.has_answers = true;
  d.slices.dims = {"digits", "carries"};
  d.slices.values = {{"1", "2", "3", "4"}, {"0", "1", "2", "3", "4"}};
  auto scaled = [&](int64_t n) {
    return std::max<int64_t>(static_cast<int64_t>(n * options.size_scale), 16);
  };
  d.train = make_split(scaled(kTrain), options.seed * 5 + 11);
  d.val = make_split(scaled(kVal), options.seed * 5 + 12);
  d.test = make_split(scaled(kTest), options.seed * 5 + 13);
  return d;
}

}  // namespace qz::data
