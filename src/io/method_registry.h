// The compression methods, one registered entry each: its options (the fields of its config
// struct, io/method_configs.h), the rules between them, and what the method needs. The recipe
// parser, the CLI's flags and their help, `quantize methods` and the recipe runner's dispatch
// all read this list, so a method is added here once and reaches every one of them.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "io/option_schema.h"

namespace qz::io {

struct MethodTraits {
  bool needs_calibration = false;  // reads calibration inputs (activations, Hessians)
  bool folds_norms_first = false;  // BatchNorm is folded into the convs before the step
  bool fine_tunes = false;         // trains the model (data and epochs)
  bool post_training = false;      // a row of io/quantize_methods.h
};

// How errors name an option: a recipe's "field 'bits'", or the command line's "--bits".
struct OptionNames {
  bool as_flags = false;
  std::string operator()(const std::string& key) const;
  // The same in a list of options: "'bits'" or "--bits".
  std::string listed(const std::string& key) const;
};

struct MethodSpec {
  std::string name;
  std::string help;
  MethodTraits traits;
  std::vector<OptionSpec> options;
  // Rules between options (e.g. lowrank's one of rank/energy/ratio): `given` holds the keys
  // the step set, `options` every option with defaults filled in, to adjust or reject.
  std::function<void(const nlohmann::json& given, nlohmann::json& options, const std::string& where,
                     const OptionNames& names)>
      check;

  const OptionSpec* find_option(std::string_view key) const;
  nlohmann::json defaults() const;  // every option with its default
};

// Every method, post-training ones first in their row order, then the others by name.
const std::vector<MethodSpec>& method_specs();

// The entry named `name`; null when there is none.
const MethodSpec* find_method_spec(std::string_view name);

// The names, in registry order.
const std::vector<std::string>& method_names();

// The CLI flag of option `key`: the spec's own flag, or "--" + key with '_' as '-' ("--no-"
// for a switch that is on by default). One key has one flag across every method.
std::string option_flag(const std::string& key);
// The flag one method's spec asks for (equal to option_flag(spec.key) in a sound registry).
std::string option_flag(const OptionSpec& spec);

// The spec of `key` in the first method that takes it (a key's kind, flag and switch
// direction are the same in every method that takes it); InternalError for an unknown key.
const OptionSpec& first_option_spec(const std::string& key);

// The option keys of every method, each once, in registry order.
std::vector<std::string> option_keys();

// Help for the flag of `key`: the methods taking it, what it does for each, its range and its
// default, e.g. "prune-magnitude, prune-wanda: fraction of weights removed, in [0, 0.999]
// (default 0.5)". Post-training methods sharing one text are named together.
std::string option_help(const std::string& key);

}  // namespace qz::io
