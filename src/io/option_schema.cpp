#include "io/option_schema.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/nm_pattern.h"

namespace qz::io {

namespace {

constexpr size_t kMaxNames = 4096;

// 0.999 and 1048576 as a user would write them.
std::string number_text(double x) {
  return fmt::format("{}", x);
}

}  // namespace

std::string OptionSpec::range_text() const {
  switch (kind) {
    case OptionKind::Int:
      return fmt::format("in [{}, {}]", static_cast<int64_t>(min), static_cast<int64_t>(max));
    case OptionKind::Number:
      return fmt::format("in [{}, {}]", number_text(min), number_text(max));
    case OptionKind::Choice:
      return fmt::format("one of {}", fmt::join(choices, ", "));
    case OptionKind::Pattern:  // the help says which patterns
    case OptionKind::Bool:
    case OptionKind::Names:
    case OptionKind::Object:
      return "";
  }
  return "";
}

std::string OptionSpec::default_text() const {
  // Numbers as JSON writes them (4.0, 0.01): what a recipe would say.
  if (default_value.is_string()) return default_value.get<std::string>();
  return default_value.dump();
}

void check_option_value(const OptionSpec& spec, const nlohmann::json& value,
                        const std::string& where, const std::string& name) {
  switch (spec.kind) {
    case OptionKind::Int: {
      QZ_CHECK(value.is_number_integer(), "{}: {}: expected an integer {}", where, name,
               spec.range_text());
      const auto x = value.get<int64_t>();
      QZ_CHECK(static_cast<double>(x) >= spec.min && static_cast<double>(x) <= spec.max,
               "{}: {}: {} is outside [{}, {}]", where, name, x, static_cast<int64_t>(spec.min),
               static_cast<int64_t>(spec.max));
      return;
    }
    case OptionKind::Number: {
      QZ_CHECK(value.is_number(), "{}: {}: expected a number {}", where, name, spec.range_text());
      const auto x = value.get<double>();
      QZ_CHECK(std::isfinite(x) && x >= spec.min && x <= spec.max, "{}: {}: {} is outside [{}, {}]",
               where, name, number_text(x), number_text(spec.min), number_text(spec.max));
      return;
    }
    case OptionKind::Bool:
      QZ_CHECK(value.is_boolean(), "{}: {}: expected true or false", where, name);
      return;
    case OptionKind::Choice:
      QZ_CHECK(value.is_string() && std::find(spec.choices.begin(), spec.choices.end(),
                                              value.get<std::string>()) != spec.choices.end(),
               "{}: {}: expected one of {}", where, name, fmt::join(spec.choices, ", "));
      return;
    case OptionKind::Pattern: {
      QZ_CHECK(value.is_string(), "{}: {}: expected \"unstructured\" or N:M such as \"2:4\"", where,
               name);
      const auto pattern = value.get<std::string>();
      if (pattern != "unstructured") parse_nm_pattern(pattern, fmt::format("{}: {}", where, name));
      return;
    }
    case OptionKind::Names:
      QZ_CHECK(value.is_array() && value.size() <= kMaxNames,
               "{}: {}: expected a list of at most {} layer names", where, name, kMaxNames);
      for (const auto& e : value)
        QZ_CHECK(e.is_string(), "{}: {}: expected layer names (strings)", where, name);
      return;
    case OptionKind::Object:
      QZ_CHECK(value.is_object(), "{}: {}: expected an object of config overrides", where, name);
      return;
  }
}

}  // namespace qz::io
