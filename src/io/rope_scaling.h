// Rotary position frequencies and the context-extension rules that rescale them. A config's
// "rope_scaling" is absent (plain RoPE) or one of
//   {"type": "linear", "factor": F}                                   positions / F
//   {"type": "llama3", "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4,
//    "original_max_position_embeddings": 8192}                        Llama 3.1 / 3.2
// (Hugging Face's names and formulas, so an imported checkpoint's RoPE is reproduced exactly).
// Torch-free: the config reader is fuzzed with the others.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qz::io {

// Validates a "rope_scaling" object; InputError naming `where` and the field.
void validate_rope_scaling(const nlohmann::json& scaling, const std::string& where);

// The head's inverse frequencies, head_dim / 2 of them: base^(-2i / head_dim), then rescaled by
// `scaling` (a validated object, or null). Float32 throughout, as Hugging Face computes them.
std::vector<float> rope_inverse_frequencies(double base, int64_t head_dim,
                                            const nlohmann::json& scaling);

}  // namespace qz::io
