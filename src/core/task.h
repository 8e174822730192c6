// What a model predicts: a class per sample, or the next token at every position. Datasets
// say which they hold and models which they do, so both read it from here rather than one
// from the other (data/ stays below nn/).
#pragma once

namespace qz {

enum class Task { Classification, LanguageModel };

}  // namespace qz
