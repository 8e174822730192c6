#include "data/dataset.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/rng.h"
#include "data/addition.h"
#include "data/csv_loader.h"
#include "data/idx_loader.h"
#include "data/shapes.h"
#include "data/text_loader.h"

namespace qz::data {

Split Split::select(const torch::Tensor& index) const {
  Split s;
  s.inputs = inputs.index_select(0, index);
  s.targets = targets.index_select(0, index);
  if (loss_mask.defined()) s.loss_mask = loss_mask.index_select(0, index);
  s.slices = slices.index_select(0, index);
  return s;
}

Split Split::head(int64_t n) const {
  return select(torch::arange(std::min(n, size()), torch::kInt64));
}

const Split& Dataset::split(const std::string& name) const {
  if (name == "train") return train;
  if (name == "val" || name == "validation") return val;
  if (name == "test") return test;
  throw InputError(fmt::format("[data] unknown split '{}' (expected train, val or test)", name));
}

void split_randomly(const Split& all, const DataOptions& options, Dataset& out) {
  const int64_t n = all.size();
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  Rng rng(options.seed ^ 0x5EED5B117ULL);
  shuffle(order, rng);
  const int64_t n_test = static_cast<int64_t>(n * options.test_fraction);
  const int64_t n_val = static_cast<int64_t>(n * options.val_fraction);
  QZ_CHECK(n - n_test - n_val >= 1 && n_test >= 1 && n_val >= 1,
           "[data] {}: {} samples are too few to split into train, validation and test", out.spec,
           n);
  auto part = [&](int64_t begin, int64_t count) {
    auto idx = torch::from_blob(order.data() + begin, {count}, torch::kInt64).clone();
    return all.select(idx);
  };
  out.test = part(0, n_test);
  out.val = part(n_test, n_val);
  out.train = part(n_test + n_val, n - n_test - n_val);
}

SliceSchema class_slices(int64_t num_classes, const std::vector<std::string>& names) {
  SliceSchema s;
  s.dims = {"class"};
  s.values.emplace_back();
  for (int64_t c = 0; c < num_classes; ++c)
    s.values[0].push_back(c < static_cast<int64_t>(names.size()) ? names[c] : std::to_string(c));
  return s;
}

Dataset load_dataset(const std::string& spec, const DataOptions& options) {
  auto prefixed = [&](const char* prefix) { return spec.rfind(prefix, 0) == 0; };
  Dataset d;
  if (spec == "shapes") {
    d = make_shapes(options);
  } else if (spec == "addition") {
    d = make_addition(options);
  } else if (prefixed("csv:")) {
    d = load_csv(spec.substr(4), options);
  } else if (prefixed("idx:")) {
    d = load_idx(spec.substr(4), options);
  } else if (prefixed("text:")) {
    d = load_text(spec.substr(5), options);
  } else {
    throw InputError(fmt::format(
        "[data] unknown data '{}' (expected shapes, addition, csv:PATH, idx:PATH or text:PATH)",
        spec));
  }
  d.spec = spec;
  return d;
}

}  // namespace qz::data
