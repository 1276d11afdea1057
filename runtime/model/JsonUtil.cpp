//===- JsonUtil.cpp - JSON parsing with located errors --------------------===//

#include "runtime/model/JsonUtil.h"

#include <cmath>
#include <limits>
#include <vector>

namespace mamba {

namespace {

/// Records where the first syntax error is; nlohmann's DOM parser in
/// non-throwing mode only says that parsing failed.
struct ErrorLocator {
  size_t position = 0;
  std::string message;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const std::string &) { return true; }
  bool string(std::string &) { return true; }
  bool binary(Json::binary_t &) { return true; }
  bool start_object(size_t) { return true; }
  bool key(std::string &) { return true; }
  bool end_object() { return true; }
  bool start_array(size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(size_t pos, const std::string &,
                   const nlohmann::detail::exception &ex) {
    position = pos;
    message = ex.what();
    return false;
  }
};

/// Quotes the bare tokens Infinity, -Infinity and NaN outside strings.
/// `inserted` receives, for every token, its end offset in the output, so
/// that error offsets can be mapped back to the input.
std::string quoteNonFinite(const std::string &in,
                           std::vector<size_t> &inserted) {
  static const char *const tokens[] = {"-Infinity", "Infinity", "NaN"};
  std::string out;
  out.reserve(in.size());
  bool inString = false;
  for (size_t i = 0; i < in.size();) {
    char c = in[i];
    if (inString) {
      out += c;
      if (c == '\\' && i + 1 < in.size()) {
        out += in[i + 1];
        i += 2;
        continue;
      }
      if (c == '"')
        inString = false;
      ++i;
      continue;
    }
    if (c == '"') {
      inString = true;
      out += c;
      ++i;
      continue;
    }
    bool replaced = false;
    for (const char *t : tokens) {
      size_t n = std::char_traits<char>::length(t);
      if (in.compare(i, n, t) == 0) {
        out += '"';
        out.append(t, n);
        out += '"';
        inserted.push_back(out.size());
        i += n;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out += c;
      ++i;
    }
  }
  return out;
}

} // namespace

Result<Json> parseJson(const std::string &text, const std::string &source,
                       size_t baseOffset) {
  std::vector<size_t> inserted;
  std::string quoted = quoteNonFinite(text, inserted);
  Json j = Json::parse(quoted, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded())
    return j;

  ErrorLocator locator;
  Json::sax_parse(quoted, &locator);
  // nlohmann counts the characters read, the offending one included.
  size_t pos = locator.position > 0 ? locator.position - 1 : 0;
  size_t shift = 0;
  for (size_t end : inserted)
    if (end <= pos)
      shift += 2;
  pos = pos >= shift ? pos - shift : 0;
  if (pos > text.size())
    pos = text.size();
  size_t line = 1, column = 1;
  for (size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  // Keep nlohmann's reason, without its own (shifted) position prefix.
  std::string reason = locator.message;
  size_t col = reason.find("column ");
  if (col != std::string::npos) {
    size_t colon = reason.find(": ", col);
    if (colon != std::string::npos)
      reason = reason.substr(colon + 2);
  }
  if (reason.empty())
    reason = "syntax error";
  return Error(source + ": malformed JSON at byte " +
               std::to_string(pos + baseOffset) + " (line " +
               std::to_string(line) + ", column " + std::to_string(column) +
               "): " + reason);
}

std::string jsonTypeName(const Json &j) {
  switch (j.type()) {
  case Json::value_t::null:
    return "null";
  case Json::value_t::object:
    return "an object";
  case Json::value_t::array:
    return "an array";
  case Json::value_t::string:
    return "a string";
  case Json::value_t::boolean:
    return "a boolean";
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
    return "an integer";
  case Json::value_t::number_float:
    return "a float";
  default:
    return "an unexpected value";
  }
}

std::optional<double> jsonNumber(const Json &j) {
  if (j.is_number())
    return j.get<double>();
  // transformers 5 writes non-finite floats as {"__float__": "Infinity"}.
  if (j.is_object() && j.size() == 1 && j.contains("__float__"))
    return jsonNumber(j["__float__"]);
  if (j.is_string()) {
    const std::string &s = j.get_ref<const std::string &>();
    if (s == "Infinity")
      return std::numeric_limits<double>::infinity();
    if (s == "-Infinity")
      return -std::numeric_limits<double>::infinity();
    if (s == "NaN")
      return std::numeric_limits<double>::quiet_NaN();
  }
  return std::nullopt;
}

std::optional<int64_t> jsonInt(const Json &j) {
  if (j.is_number_unsigned()) {
    uint64_t u = j.get<uint64_t>();
    if (u > uint64_t(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return int64_t(u);
  }
  if (j.is_number_integer())
    return j.get<int64_t>();
  return std::nullopt;
}

} // namespace mamba
