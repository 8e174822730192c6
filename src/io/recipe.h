// Recipes: a JSON file of compression steps run in order on one model, e.g.
//   {"steps": [{"method": "distill", "student": {"hidden": [128, 128]}},
//              {"method": "prune-structured", "ratio": 0.5},
//              {"method": "int4", "group": 128}]}
// Every step names a method and may set that method's options; parsing fills in the defaults
// and rejects unknown methods, unknown keys and out-of-range values with the file, the step and
// the field. The CLI's single-method compress builds the same one-step recipe from its flags.
// Torch-free, so the recipe reader is fuzzed and sanitized with the other readers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/method_registry.h"

namespace qz::io {

struct RecipeStep {
  std::string method;
  nlohmann::json options;  // every option of the method, defaults filled in
};

// The methods a step may name (io/method_registry.h, in its order).
const std::vector<std::string>& recipe_methods();

// Whether `method` takes option `key` (e.g. "bits", "group").
bool recipe_method_has_option(const std::string& method, const std::string& key);

// Every option of `method` with its default; InputError for an unknown method.
nlohmann::json recipe_method_defaults(const std::string& method);

// Validates one step (`where` names it in errors, `names` its options) and fills in its
// defaults.
RecipeStep parse_recipe_step(const nlohmann::json& step, const std::string& where,
                             const OptionNames& names = {});

// Parses and validates recipe text (at most 64 steps); `where` names its source in errors.
std::vector<RecipeStep> parse_recipe(const std::string& text, const std::string& where);

// Reads and validates a recipe file (at most 1 MiB).
std::vector<RecipeStep> read_recipe(const std::string& path);

// The steps as JSON (recorded in the output's provenance).
nlohmann::json recipe_json(const std::vector<RecipeStep>& steps);

}  // namespace qz::io
