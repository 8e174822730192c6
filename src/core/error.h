// Errors: every failure the user can cause is a qz::InputError (exit code 2), every broken
// invariant a qz::InternalError (exit code 1). Messages start with the operation in brackets
// and say what, where and what was expected, e.g.
//   [safetensors] model.safetensors: tensor 'fc1.weight': data_offsets end 96 beyond buffer 64
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace qz {

// Base of every error quantize throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input from the user: a file, an option, a value. The CLI exits with code 2.
class InputError : public Error {
 public:
  using Error::Error;
};

// A broken invariant inside quantize. The CLI exits with code 1.
class InternalError : public Error {
 public:
  using Error::Error;
};

// Exit status the CLI uses for a user interrupt (SIGINT), as shells do.
inline constexpr int kExitInterrupted = 130;

}  // namespace qz

// Checks user input; throws qz::InputError with a fmt-formatted message.
#define QZ_CHECK(cond, ...)                                        \
  do {                                                             \
    if (!(cond)) throw ::qz::InputError(fmt::format(__VA_ARGS__)); \
  } while (0)

// Checks an internal invariant; throws qz::InternalError naming the source location.
#define QZ_ASSERT(cond, ...)                                                                   \
  do {                                                                                         \
    if (!(cond))                                                                               \
      throw ::qz::InternalError(fmt::format("internal error at {}:{}: {}", __FILE__, __LINE__, \
                                            fmt::format(__VA_ARGS__)));                        \
  } while (0)
