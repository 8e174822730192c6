#include "report/eval_summary.h"

#include <fmt/format.h>

#include "core/text_table.h"

namespace qz::report {

std::string percent(double fraction, int decimals) {
  return fmt::format("{:.{}f}%", 100.0 * fraction, decimals);
}

std::string eval_headline(const eval::EvalResult& r) {
  std::string out;
  if (r.language_model) {
    out = fmt::format("exact match {}  token accuracy {}  perplexity {:.4f}  loss {:.4f}",
                      percent(r.exact_match), percent(r.token_accuracy), r.perplexity, r.loss);
  } else {
    out = fmt::format("accuracy {}  loss {:.4f}", percent(r.accuracy), r.loss);
  }
  if (!r.worst_slice.empty()) {
    const auto& w = r.slices.at(r.worst_slice);
    out +=
        fmt::format("  worst slice {} {} (n={})", r.worst_slice, percent(w.accuracy, 1), w.count);
  }
  return out;
}

std::string eval_summary(const eval::EvalResult& r) {
  TextTable table({"slice", "accuracy", "count"});
  for (const auto& [name, s] : r.slices)
    table.add_row({name, percent(s.accuracy), std::to_string(s.count)});
  return fmt::format("{} split, {} samples: {}\n{}", r.split, r.samples, eval_headline(r),
                     table.to_text());
}

}  // namespace qz::report
