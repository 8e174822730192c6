// Typed, bounded reads of JSON fields from untrusted files (configs, recipes, model metadata).
// Every failure is an InputError naming `where` (the file or section) and the field.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qz {

// Parses JSON text with a nesting bound; `where` names the source in errors.
nlohmann::json parse_json(const std::string& text, const std::string& where, size_t max_depth = 32);
// Reads and parses a JSON file (at most `max_bytes`).
nlohmann::json read_json_file(const std::string& path, size_t max_bytes = 16 << 20);

// An integer field in [lo, hi].
int64_t json_int(const nlohmann::json& obj, const std::string& key, const std::string& where,
                 int64_t lo, int64_t hi);
// A number field in [lo, hi].
double json_number(const nlohmann::json& obj, const std::string& key, const std::string& where,
                   double lo, double hi);
// A string field.
std::string json_string(const nlohmann::json& obj, const std::string& key,
                        const std::string& where);
// A list of integers, each in [lo, hi], with at most `max_len` entries.
std::vector<int64_t> json_int_list(const nlohmann::json& obj, const std::string& key,
                                   const std::string& where, int64_t lo, int64_t hi,
                                   size_t max_len);
// Rejects keys of `obj` outside `allowed`.
void json_only_keys(const nlohmann::json& obj, const std::vector<std::string>& allowed,
                    const std::string& where);

}  // namespace qz
