// Human-readable evaluation summaries: the headline figures and the per-slice table.
#pragma once

#include <string>

#include "eval/evaluate.h"

namespace qz::report {

// One line: "accuracy 93.10%  loss 0.2143  worst slice noise=high 85.2% (n=1334)".
std::string eval_headline(const eval::EvalResult& r);

// Headline plus a table of every slice with its accuracy and count.
std::string eval_summary(const eval::EvalResult& r);

// "93.10%".
std::string percent(double fraction, int decimals = 2);

}  // namespace qz::report
