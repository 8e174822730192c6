// Typed method options: a method's options are the fields of one plain struct (GptqConfig,
// LowRankConfig, ...), each listed once with its key, kind, range and help. From that list
// come the option specs the recipe parser validates against and the CLI builds its flags and
// help from, and the conversions between the struct and a recipe step's JSON, both ways. The
// defaults are the struct's own member initialisers, so there is no second place to state
// them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace qz::io {

enum class OptionKind {
  Int,      // an integer in [min, max]
  Number,   // a real number in [min, max]
  Bool,     // true or false
  Choice,   // one of `choices`
  Pattern,  // "unstructured" or an N:M sparsity pattern such as "2:4"
  Names,    // a list of layer names
  Object,   // a JSON object (config overrides)
};

struct OptionSpec {
  std::string key;  // the recipe field, e.g. "finetune_epochs"
  OptionKind kind = OptionKind::Int;
  nlohmann::json default_value;  // the config struct's initial value
  double min = 0, max = 0;       // Int and Number
  std::vector<std::string> choices;
  std::string help;  // what the option does for this method, without its default
  std::string flag;  // the CLI flag when it is not derived from the key (see option_flag)

  // "in [0, 0.999]", "one of layer, global, row", "" where the kind says it all.
  std::string range_text() const;
  // The default as help states it: "0.5", "layer", "true".
  std::string default_text() const;
};

// One field of config struct C: its spec, and how to read and write it (built where the
// member's type is known, so no conversion is compiled for a type the field does not have).
template <class C>
struct ConfigField {
  OptionSpec spec;
  nlohmann::json (*get)(const C&, const ConfigField&) = nullptr;
  void (*set)(C&, const ConfigField&, const nlohmann::json&) = nullptr;
  // The member, as the one alternative its type selects.
  std::variant<int64_t C::*, double C::*, bool C::*, std::string C::*,
               std::vector<std::string> C::*, nlohmann::json C::*>
      member;
};

template <class C, class T>
ConfigField<C> config_field(OptionSpec spec, T C::*member) {
  ConfigField<C> f{std::move(spec), nullptr, nullptr, member};
  f.get = [](const C& c, const ConfigField<C>& self) {
    return nlohmann::json(c.*std::get<T C::*>(self.member));
  };
  f.set = [](C& c, const ConfigField<C>& self, const nlohmann::json& j) {
    c.*std::get<T C::*>(self.member) = j.get<T>();
  };
  return f;
}

template <class C>
ConfigField<C> int_option(const char* key, int64_t C::*m, int64_t lo, int64_t hi,
                          const char* help) {
  return config_field<C>(
      {key, OptionKind::Int, {}, static_cast<double>(lo), static_cast<double>(hi), {}, help, ""},
      m);
}
template <class C>
ConfigField<C> number_option(const char* key, double C::*m, double lo, double hi,
                             const char* help) {
  return config_field<C>({key, OptionKind::Number, {}, lo, hi, {}, help, ""}, m);
}
template <class C>
ConfigField<C> bool_option(const char* key, bool C::*m, const char* help, const char* flag = "") {
  return config_field<C>({key, OptionKind::Bool, {}, 0, 0, {}, help, flag}, m);
}
template <class C>
ConfigField<C> choice_option(const char* key, std::string C::*m, std::vector<std::string> choices,
                             const char* help) {
  return config_field<C>({key, OptionKind::Choice, {}, 0, 0, std::move(choices), help, ""}, m);
}
template <class C>
ConfigField<C> pattern_option(const char* key, std::string C::*m, const char* help) {
  return config_field<C>({key, OptionKind::Pattern, {}, 0, 0, {}, help, ""}, m);
}
template <class C>
ConfigField<C> names_option(const char* key, std::vector<std::string> C::*m, const char* help) {
  return config_field<C>({key, OptionKind::Names, {}, 0, 0, {}, help, ""}, m);
}
template <class C>
ConfigField<C> object_option(const char* key, nlohmann::json C::*m, const char* help) {
  return config_field<C>({key, OptionKind::Object, {}, 0, 0, {}, help, ""}, m);
}

// The struct as a recipe step's options (every field).
template <class C>
nlohmann::json config_to_json(const C& config) {
  nlohmann::json j = nlohmann::json::object();
  for (const ConfigField<C>& f : C::fields()) j[f.spec.key] = f.get(config, f);
  return j;
}

// The struct from options that recipe parsing has validated and completed.
template <class C>
C config_from_json(const nlohmann::json& options) {
  C config;
  for (const ConfigField<C>& f : C::fields()) f.set(config, f, options.at(f.spec.key));
  return config;
}

// The specs of C's fields, with the defaults of a default-constructed C.
template <class C>
std::vector<OptionSpec> option_specs() {
  const nlohmann::json defaults = config_to_json(C{});
  std::vector<OptionSpec> specs;
  for (const ConfigField<C>& f : C::fields()) {
    specs.push_back(f.spec);
    specs.back().default_value = defaults[f.spec.key];
  }
  return specs;
}

// Checks one option's value against its spec; `name` is how the error names the option
// ("field 'sparsity'" in a recipe, "--sparsity" on the command line).
void check_option_value(const OptionSpec& spec, const nlohmann::json& value,
                        const std::string& where, const std::string& name);

}  // namespace qz::io
