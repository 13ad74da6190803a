#pragma once
// Expected failures are values: every fallible operation returns Status or
// Result<T>. The http module maps StatusCode to an HTTP status in one table.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kiln::core {

enum class StatusCode {
  kOk,
  kInvalidArgument,
  kNotFound,
  kConflict,
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

// The wire name of a code, e.g. "invalid_argument".
const char* StatusCodeName(StatusCode code);

// One reason a field of the input is wrong, e.g. {"uscc", "check character should be L"}.
struct FieldError {
  std::string field;
  std::string reason;
  bool operator==(const FieldError&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::vector<FieldError> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string message, std::vector<FieldError> details = {}) {
    return {StatusCode::kInvalidArgument, std::move(message), std::move(details)};
  }
  static Status NotFound(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
  static Status Conflict(std::string message, std::vector<FieldError> details = {}) {
    return {StatusCode::kConflict, std::move(message), std::move(details)};
  }
  static Status Unauthenticated(std::string message) { return {StatusCode::kUnauthenticated, std::move(message)}; }
  static Status PermissionDenied(std::string message, std::vector<FieldError> details = {}) {
    return {StatusCode::kPermissionDenied, std::move(message), std::move(details)};
  }
  static Status ResourceExhausted(std::string message) { return {StatusCode::kResourceExhausted, std::move(message)}; }
  static Status Unavailable(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }
  static Status Internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& details() const { return details_; }

  // A more specific wire code for the error body than the status code's own
  // name (e.g. "nonce_reused" for an unauthenticated request).
  Status WithReason(std::string reason) const {
    Status s = *this;
    s.reason_ = std::move(reason);
    return s;
  }
  const std::string& reason() const { return reason_; }

  // Prefixes the message with where it happened, keeping code and details.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status s(code_, context + ": " + message_, details_);
    s.reason_ = reason_;
    return s;
  }

  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<FieldError> details_;
  std::string reason_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  // By value, so that `for (auto& x : F().value())` does not dangle.
  T value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace kiln::core

#define KILN_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::kiln::core::Status kiln_status_ = (expr);  \
    if (!kiln_status_.ok()) return kiln_status_; \
  } while (0)
