#include "core/json_fields.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace qz {

using nlohmann::json;

json parse_json(const std::string& text, const std::string& where, size_t max_depth) {
  auto depth_guard = [&](int depth, json::parse_event_t event, json&) {
    if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start)
      QZ_CHECK(static_cast<size_t>(depth) < max_depth, "{}: JSON nested deeper than {} levels",
               where, max_depth);
    return true;
  };
  try {
    return json::parse(text, depth_guard);
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: invalid JSON: {}", where, e.what()));
  }
}

json read_json_file(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  QZ_CHECK(in.good(), "{}: cannot open file", path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  QZ_CHECK(text.size() <= max_bytes, "{}: file is {} bytes, more than the limit {}", path,
           text.size(), max_bytes);
  return parse_json(text, path);
}

int64_t json_int(const json& obj, const std::string& key, const std::string& where, int64_t lo,
                 int64_t hi) {
  QZ_CHECK(obj.contains(key), "{}: missing field '{}'", where, key);
  const json& v = obj[key];
  QZ_CHECK(v.is_number_integer(), "{}: field '{}': expected an integer", where, key);
  const int64_t x = v.get<int64_t>();
  QZ_CHECK(x >= lo && x <= hi, "{}: field '{}': {} is outside [{}, {}]", where, key, x, lo, hi);
  return x;
}

double json_number(const json& obj, const std::string& key, const std::string& where, double lo,
                   double hi) {
  QZ_CHECK(obj.contains(key), "{}: missing field '{}'", where, key);
  const json& v = obj[key];
  QZ_CHECK(v.is_number(), "{}: field '{}': expected a number", where, key);
  const double x = v.get<double>();
  QZ_CHECK(x >= lo && x <= hi, "{}: field '{}': {} is outside [{}, {}]", where, key, x, lo, hi);
  return x;
}

std::string json_string(const json& obj, const std::string& key, const std::string& where) {
  QZ_CHECK(obj.contains(key), "{}: missing field '{}'", where, key);
  QZ_CHECK(obj[key].is_string(), "{}: field '{}': expected a string", where, key);
  return obj[key].get<std::string>();
}

std::vector<int64_t> json_int_list(const json& obj, const std::string& key,
                                   const std::string& where, int64_t lo, int64_t hi,
                                   size_t max_len) {
  QZ_CHECK(obj.contains(key), "{}: missing field '{}'", where, key);
  const json& v = obj[key];
  QZ_CHECK(v.is_array() && v.size() <= max_len,
           "{}: field '{}': expected a list of at most {} integers", where, key, max_len);
  std::vector<int64_t> out;
  for (const json& e : v) {
    QZ_CHECK(e.is_number_integer(), "{}: field '{}': expected integers", where, key);
    const int64_t x = e.get<int64_t>();
    QZ_CHECK(x >= lo && x <= hi, "{}: field '{}': {} is outside [{}, {}]", where, key, x, lo, hi);
    out.push_back(x);
  }
  return out;
}

void json_only_keys(const json& obj, const std::vector<std::string>& allowed,
                    const std::string& where) {
  QZ_CHECK(obj.is_object(), "{}: expected a JSON object", where);
  for (const auto& [key, _] : obj.items()) {
    QZ_CHECK(std::find(allowed.begin(), allowed.end(), key) != allowed.end(),
             "{}: unknown field '{}'", where, key);
  }
}

}  // namespace qz
