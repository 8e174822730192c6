#include "io/method_configs.h"

namespace qz::io {
namespace {

constexpr int64_t kMaxGroup = 1 << 20;
constexpr int64_t kMaxEpochs = 10000;
constexpr double kMaxLr = 10.0;
constexpr double kMaxSparsity = 0.999;

template <class C>
ConfigField<C> exclude_option(const char* help = "layers to leave as they are") {
  return names_option<C>("exclude", &C::exclude, help);
}

// The fine-tuning options of pruning and factorization steps, after the step's own.
template <class C>
std::vector<ConfigField<C>> with_finetune(std::vector<ConfigField<C>> fields) {
  fields.push_back(int_option<C>("finetune_epochs", &C::finetune_epochs, 0, kMaxEpochs,
                                 "fine-tuning epochs after the step"));
  fields.push_back(number_option<C>("lr", &C::lr, 0.0, kMaxLr,
                                    "fine-tuning learning rate (0: the architecture's)"));
  return fields;
}

}  // namespace

const std::vector<ConfigField<QuantizeConfig>>& QuantizeConfig::fields() {
  using C = QuantizeConfig;
  static const std::vector<ConfigField<C>> f = {
      int_option<C>("group", &C::group, 0, kMaxGroup,
                    "group size of grouped formats (0: the method's, listed below)"),
      bool_option<C>("symmetric", &C::symmetric, "int4: symmetric grid (zero point 8)", "--sym"),
      choice_option<C>("range", &C::range, {"minmax", "percentile", "mse"}, "weight range rule"),
      choice_option<C>("observer", &C::observer, {"minmax", "moving-average", "histogram"},
                       "int8-static activation observer"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

const std::vector<ConfigField<MagnitudePruneConfig>>& MagnitudePruneConfig::fields() {
  using C = MagnitudePruneConfig;
  static const auto f = with_finetune<C>({
      number_option<C>("sparsity", &C::sparsity, 0.0, kMaxSparsity, "fraction of weights removed"),
      choice_option<C>("scope", &C::scope, {"layer", "global", "row"},
                       "where the magnitude threshold is drawn"),
      exclude_option<C>("layers left dense"),
  });
  return f;
}

const std::vector<ConfigField<NmPruneConfig>>& NmPruneConfig::fields() {
  using C = NmPruneConfig;
  static const auto f = with_finetune<C>({
      pattern_option<C>("pattern", &C::pattern, "N:M pattern, e.g. 2:4"),
      exclude_option<C>("layers left dense"),
  });
  return f;
}

const std::vector<ConfigField<WandaConfig>>& WandaConfig::fields() {
  using C = WandaConfig;
  static const auto f = with_finetune<C>({
      number_option<C>("sparsity", &C::sparsity, 0.0, kMaxSparsity, "fraction of weights removed"),
      pattern_option<C>("pattern", &C::pattern, "unstructured (per row) or an N:M pattern"),
      exclude_option<C>("layers left dense"),
  });
  return f;
}

const std::vector<ConfigField<SparseGptConfig>>& SparseGptConfig::fields() {
  using C = SparseGptConfig;
  static const auto f = with_finetune<C>({
      number_option<C>("sparsity", &C::sparsity, 0.0, kMaxSparsity, "fraction of weights removed"),
      pattern_option<C>("pattern", &C::pattern, "unstructured (per row) or an N:M pattern"),
      number_option<C>("damp", &C::damp, 1e-6, 0.5, "Hessian damping, share of the mean diagonal"),
      int_option<C>("block", &C::block, 1, 1 << 16, "lazy-update block columns"),
      exclude_option<C>("layers left dense"),
  });
  return f;
}

const std::vector<ConfigField<StructuredPruneConfig>>& StructuredPruneConfig::fields() {
  using C = StructuredPruneConfig;
  static const auto f = with_finetune<C>({
      number_option<C>("ratio", &C::ratio, 0.0, kMaxSparsity, "fraction of units removed"),
      int_option<C>("norm", &C::norm, 1, 2, "Ln importance of a unit"),
      bool_option<C>("global", &C::global, "one ranking across layers"),
      exclude_option<C>("layers whose units stay"),
  });
  return f;
}

const std::vector<ConfigField<LowRankConfig>>& LowRankConfig::fields() {
  using C = LowRankConfig;
  static const auto f = with_finetune<C>({
      int_option<C>("rank", &C::rank, 0, kMaxGroup, "fixed rank (0: unset)"),
      number_option<C>("energy", &C::energy, 0.0, 1.0, "kept singular-value energy (0: unset)"),
      number_option<C>("ratio", &C::ratio, 0.0, kMaxSparsity,
                       "kept share of each layer's parameters"),
      bool_option<C>("activation_aware", &C::activation_aware,
                     "ASVD column scaling by calibration activations"),
      exclude_option<C>("layers left unfactored"),
  });
  return f;
}

const std::vector<ConfigField<DistillConfig>>& DistillConfig::fields() {
  using C = DistillConfig;
  static const std::vector<ConfigField<C>> f = {
      object_option<C>("student", &C::student,
                       "student config overrides as JSON, e.g. '{\"hidden\": [128, 128]}' "
                       "(none: about a quarter of the teacher's parameters)"),
      number_option<C>("temperature", &C::temperature, 1e-3, 1e3, "softmax temperature T"),
      number_option<C>("alpha", &C::alpha, 0.0, 1.0, "weight of the hard-label loss"),
      int_option<C>("epochs", &C::epochs, 0, kMaxEpochs, "training epochs (0: the architecture's)"),
      number_option<C>("lr", &C::lr, 0.0, kMaxLr, "learning rate (0: the architecture's)"),
      bool_option<C>("baseline", &C::baseline,
                     "also train the same student without a teacher (the comparison)"),
      int_option<C>("transfer_samples", &C::transfer_samples, 0, int64_t{1} << 40,
                    "train the students on the first N training samples only (0: all)"),
  };
  return f;
}

const std::vector<ConfigField<QatConfig>>& QatConfig::fields() {
  using C = QatConfig;
  static const std::vector<ConfigField<C>> f = {
      choice_option<C>("quant", &C::quant, {"int8", "int8-dynamic", "int8-static", "int4"},
                       "the format trained for and converted to"),
      int_option<C>("group", &C::group, 0, kMaxGroup, "int4 group size"),
      bool_option<C>("symmetric", &C::symmetric, "int4: symmetric grid (zero point 8)", "--sym"),
      int_option<C>("epochs", &C::epochs, 0, kMaxEpochs, "training epochs"),
      number_option<C>("lr", &C::lr, 0.0, kMaxLr, "learning rate (0: the architecture's)"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

const std::vector<ConfigField<FinetuneConfig>>& FinetuneConfig::fields() {
  using C = FinetuneConfig;
  static const std::vector<ConfigField<C>> f = {
      int_option<C>("epochs", &C::epochs, 0, kMaxEpochs, "training epochs"),
      number_option<C>("lr", &C::lr, 0.0, kMaxLr, "learning rate (0: the architecture's)"),
  };
  return f;
}

const std::vector<ConfigField<FuseConfig>>& FuseConfig::fields() {
  static const std::vector<ConfigField<FuseConfig>> f;
  return f;
}

const std::vector<ConfigField<GptqConfig>>& GptqConfig::fields() {
  using C = GptqConfig;
  static const std::vector<ConfigField<C>> f = {
      int_option<C>("bits", &C::bits, 2, 8, "bits per weight (5-8: int8 storage, per channel)"),
      int_option<C>("group", &C::group, 0, kMaxGroup, "group size (0: per channel)"),
      bool_option<C>("symmetric", &C::symmetric, "symmetric grid", "--sym"),
      bool_option<C>("act_order", &C::act_order,
                     "quantize columns by decreasing Hessian diagonal (static groups)"),
      number_option<C>("damp", &C::damp, 1e-6, 0.5, "Hessian damping, share of the mean diagonal"),
      int_option<C>("block", &C::block, 1, 1 << 16, "lazy-update block columns"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

const std::vector<ConfigField<RtnConfig>>& RtnConfig::fields() {
  using C = RtnConfig;
  static const std::vector<ConfigField<C>> f = {
      int_option<C>("bits", &C::bits, 2, 8, "bits per weight (5-8: int8 storage, per channel)"),
      int_option<C>("group", &C::group, 0, kMaxGroup, "group size (0: per channel)"),
      bool_option<C>("symmetric", &C::symmetric, "symmetric grid", "--sym"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

const std::vector<ConfigField<AwqConfig>>& AwqConfig::fields() {
  using C = AwqConfig;
  static const std::vector<ConfigField<C>> f = {
      int_option<C>("bits", &C::bits, 2, 4, "bits per weight (stored as int4 nibbles)"),
      int_option<C>("group", &C::group, 1, kMaxGroup, "group size"),
      bool_option<C>("clip", &C::clip, "search a clipping range per group"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

const std::vector<ConfigField<SmoothQuantConfig>>& SmoothQuantConfig::fields() {
  using C = SmoothQuantConfig;
  static const std::vector<ConfigField<C>> f = {
      number_option<C>("alpha", &C::alpha, 0.0, 1.0, "migration strength"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

const std::vector<ConfigField<HqqConfig>>& HqqConfig::fields() {
  using C = HqqConfig;
  static const std::vector<ConfigField<C>> f = {
      int_option<C>("bits", &C::bits, 2, 4, "bits per weight (stored as int4 nibbles)"),
      int_option<C>("group", &C::group, 1, kMaxGroup, "group size"),
      int_option<C>("iterations", &C::iterations, 0, 1000, "half-quadratic zero-point iterations"),
      exclude_option<C>("layers to keep in FP32"),
  };
  return f;
}

}  // namespace qz::io
