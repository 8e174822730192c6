// quantize tokenize MODEL (--text S | --file F)...: the token ids of each text under MODEL's
// tokenizer, one line per text; --pieces shows the tokens, --decode turns ids back into text.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "core/error.h"
#include "io/gguf.h"
#include "io/read_file.h"
#include "text/tokenizer.h"

namespace qz::cli {
namespace {

struct TokenizeArgs {
  CommonOptions common;
  std::string model;
  std::vector<std::string> texts;
  std::vector<std::string> files;
  std::vector<std::string> decode;
  bool special = false;
  bool bos = false;
  bool pieces = false;
};

text::Tokenizer load_tokenizer(const std::string& path) {
  QZ_CHECK(std::filesystem::exists(path), "[tokenize] {}: no such file", path);
  QZ_CHECK(!std::filesystem::is_directory(path) && io::GgufFile::has_magic(path),
           "[tokenize] {}: expected a GGUF file (tokenizer.ggml.* metadata); reading a "
           "checkpoint folder's tokenizer.json is not supported yet",
           path);
  return text::Tokenizer::from_gguf(io::GgufFile::open(path));
}

// A piece as it reads in a terminal: control characters escaped.
std::string printable(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7F ? fmt::format("\\x{:02x}", u) : std::string(1, c);
  }
  return out;
}

void run_tokenize(const TokenizeArgs& args) {
  apply_common_options(args.common);
  QZ_CHECK(!args.texts.empty() || !args.files.empty() || !args.decode.empty(),
           "[tokenize] nothing to do: give --text, --file or --decode");
  const text::Tokenizer tokenizer = load_tokenizer(args.model);
  std::vector<std::string> inputs = args.texts;
  for (const std::string& f : args.files) inputs.push_back(io::read_file(f));
  for (const std::string& input : inputs) {
    const std::vector<int32_t> ids = tokenizer.encode(input, args.special, args.bos);
    if (!args.pieces) {
      fmt::print("{}\n", fmt::join(ids, " "));
      continue;
    }
    std::vector<std::string> shown;
    for (const int32_t id : ids)
      shown.push_back(fmt::format("{}:'{}'", id, printable(tokenizer.token(id))));
    fmt::print("{}\n", fmt::join(shown, " "));
  }
  for (const std::string& list : args.decode) {
    std::vector<int32_t> ids;
    size_t pos = 0;
    while (pos < list.size()) {
      const size_t end = std::min(list.find_first_of(" ,", pos), list.size());
      if (end > pos) {
        const std::string item = list.substr(pos, end - pos);
        QZ_CHECK(item.find_first_not_of("0123456789") == std::string::npos && item.size() < 10,
                 "[tokenize] --decode: '{}' is not a token id", item);
        ids.push_back(static_cast<int32_t>(std::stol(item)));
      }
      pos = end + 1;
    }
    fmt::print("{}\n", tokenizer.decode(ids, args.special));
  }
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto args = std::make_shared<TokenizeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "tokenize", "Token ids of texts under a model's tokenizer (GGUF tokenizer.ggml.* metadata)");
  cmd->add_option("model", args->model, "A .gguf file carrying a tokenizer")->required();
  cmd->add_option("--text", args->texts, "A text to tokenize (repeatable)");
  cmd->add_option("--file", args->files, "A UTF-8 file to tokenize whole (repeatable)");
  cmd->add_option("--decode", args->decode,
                  "Token ids (space or comma separated) to turn into text");
  cmd->add_flag("--special", args->special,
                "Control tokens written in the text become those tokens (and --decode shows them)");
  cmd->add_flag("--bos", args->bos, "Start with the beginning-of-sequence token");
  cmd->add_flag("--pieces", args->pieces, "Show each token's text next to its id");
  add_common_options(cmd, args->common);
  cmd->callback([args] { run_tokenize(*args); });
}

}  // namespace qz::cli
