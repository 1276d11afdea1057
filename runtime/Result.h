//===- Result.h - errors as values ------------------------------*- C++ -*-===//
//
// Every fallible runtime call returns a Result<T> (or a Status): either a value
// or a message that a person can act on ("model.safetensors: tensor
// 'backbone.norm_f.weight' has shape (768) but the config needs (1024)"). The
// runtime never throws and never aborts on bad input.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_RESULT_H
#define MAMBA_RUNTIME_RESULT_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace mamba {

/// An error message. Build one with `Error("...")`.
struct Error {
  std::string message;
  explicit Error(std::string m) : message(std::move(m)) {}
};

template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : value_(std::move(value)) {}
  Result(Error e) : error_(std::move(e.message)) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return error_; }

  T &operator*() {
    assert(ok());
    return *value_;
  }
  const T &operator*() const {
    assert(ok());
    return *value_;
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }
  T take() {
    assert(ok());
    return std::move(*value_);
  }

private:
  std::optional<T> value_;
  std::string error_;
};

/// Success, or an error message.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error e) : error_(std::move(e.message)), failed_(true) {}
  static Status success() { return Status(); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return error_; }

private:
  std::string error_;
  bool failed_ = false;
};

} // namespace mamba

/// Returns the error of a failed Status or Result from the enclosing function.
#define MAMBA_TRY(expr)                                                        \
  do {                                                                         \
    auto &&_mamba_try = (expr);                                                \
    if (!_mamba_try.ok())                                                      \
      return ::mamba::Error(_mamba_try.error());                               \
  } while (0)

#endif // MAMBA_RUNTIME_RESULT_H
