// quantize generate MODEL --prompt TEXT [--max-tokens N] [--temperature T] [--top-k K]
//                        [--seed S] [--no-kv-cache | --kv-int8]
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "nn/model_file.h"
#include "workflow/generate.h"

namespace qz::cli {
namespace {

struct GenerateArgs {
  CommonOptions common;
  std::string model, prompt;
  workflow::GenerateOptions options;
  bool no_cache = false, no_stop = false, kv_int8 = false;
};

// Bytes to printable text: control bytes other than newline and tab as \xNN, tokens past the
// bytes (an imported vocabulary, before its tokenizer is read) as <id>.
std::string printable(const std::vector<int64_t>& tokens) {
  std::string s;
  for (int64_t t : tokens) {
    if (t >= 256)
      s += fmt::format("<{}>", t);
    else if (t == '\n' || t == '\t' || (t >= 32 && t < 127) || t >= 128)
      s.push_back(static_cast<char>(t));
    else
      s += fmt::format("\\x{:02x}", t);
  }
  return s;
}

void run_generate(GenerateArgs& a) {
  apply_common_options(a.common);
  QZ_CHECK(!(a.no_cache && a.kv_int8), "[generate] --kv-int8 and --no-kv-cache exclude each other");
  nn::ModelFile file = nn::load_model(a.model);
  nn::Transformer& model =
      workflow::as_transformer(*file.model, "[generate] " + a.model, "generation");
  QZ_CHECK(model.config().at("vocab").get<int64_t>() >= 256,
           "[generate] {}: vocabulary of {} tokens is not byte-level text", a.model,
           model.config().at("vocab").get<int64_t>());
  std::vector<int64_t> prompt;
  for (unsigned char c : a.prompt) prompt.push_back(c);
  a.options.kv_cache = !a.no_cache;
  if (a.kv_int8) a.options.kv_format = nn::KvCacheFormat::Int8;
  // An imported model stops at its end-of-sequence ids, one of our byte models at a newline.
  const nlohmann::json& config = model.config();
  if (!a.no_stop)
    a.options.stop_tokens = config.contains("eos_ids")
                                ? config["eos_ids"].get<std::vector<int64_t>>()
                                : std::vector<int64_t>{'\n'};
  const workflow::GenerateResult r = workflow::generate(model, prompt, a.options);
  fmt::print("{}{}\n", a.prompt, printable(r.tokens));
  const double per_token =
      r.tokens.size() > 1 ? 1e3 * r.decode_seconds / static_cast<double>(r.tokens.size()) : 0;
  fmt::print(stderr, "{} tokens; prefill {:.2f} ms ({} prompt tokens), decode {:.3f} ms/token{}\n",
             r.tokens.size(), 1e3 * r.prefill_seconds, prompt.size(), per_token,
             a.options.kv_cache
                 ? fmt::format(", {} KV cache {} bytes", a.kv_int8 ? "int8" : "f32", r.cache_bytes)
                 : " without KV cache");
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Continue a text prompt with a transformer model (KV-cache decoding)");
  cmd->add_option("model", args->model, "Transformer model file or Hugging Face checkpoint folder")
      ->required();
  cmd->add_option("--prompt,-p", args->prompt, "Prompt text, e.g. \"123+456=\"")->required();
  cmd->add_option("--max-tokens", args->options.max_tokens, "Tokens to generate at most")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--temperature", args->options.temperature, "Sampling temperature (0: greedy)")
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  cmd->add_option("--top-k", args->options.top_k, "Sample among the k likeliest (0: all)")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "Seed of sampling")->capture_default_str();
  cmd->add_flag("--no-kv-cache", args->no_cache,
                "Re-run the whole sequence for every token (the cache's baseline)");
  cmd->add_flag("--kv-int8", args->kv_int8,
                "Keep the KV cache in int8 (per position and head scales): 3.6x less memory at "
                "head size 32; its accuracy cost: quantize eval --kv-int8");
  cmd->add_flag("--no-stop", args->no_stop,
                "Do not stop at a newline (or, for a model with end-of-sequence ids such as an "
                "imported checkpoint, at those)");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_generate(*args); });
}

}  // namespace qz::cli
