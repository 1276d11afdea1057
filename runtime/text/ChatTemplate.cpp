//===- ChatTemplate.cpp - Hugging Face chat templates (Jinja2) ------------===//
//
// A lexer, a recursive-descent parser to a tree, and a tree-walking
// interpreter. The comments name the Jinja2 3.1 behaviour each part
// reproduces (lexer.py, parser.py, runtime.py, filters.py, tests.py, and
// Python's own str/int/float semantics that Jinja inherits). Values follow
// Python's: ints are 64-bit here (an overflow is an error, not a bigint).
//
// Errors are values all the way (Result/Status); every recursion is counted
// against ChatTemplateLimits::maxDepth, every loop iteration and macro call
// against maxIterations, and every string or list built against
// maxWorkBytes.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/ChatTemplate.h"

#include "runtime/text/Tokenizer.h"
#include "runtime/text/Utf8.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <unordered_map>

namespace mamba::text {

namespace {

using ojson = nlohmann::ordered_json;

/// Assigns the value of a Result to `lhs`, or returns its error.
#define CT_ASSIGN(lhs, expr)                                                   \
  do {                                                                         \
    auto _ct = (expr);                                                         \
    if (!_ct.ok())                                                             \
      return ::mamba::Error(_ct.error());                                      \
    lhs = _ct.take();                                                          \
  } while (0)

//===----------------------------------------------------------------------===//
// Unicode helpers: Python's str works on code points
//===----------------------------------------------------------------------===//

std::u32string decodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    Utf8Unit u = nextUtf8Unit(s, i);
    out.push_back(u.kind == Utf8Unit::Valid ? u.codePoint : 0xFFFD);
    i += u.length;
  }
  return out;
}

std::string encodeUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s)
    appendUtf8(out, uint32_t(c));
  return out;
}

bool isAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80)
      return false;
  return true;
}

/// Python's str.isspace() (and what `\s` matches in a str regex).
bool isPySpace(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

/// The byte length of the Python whitespace character at s[i], or 0.
size_t spaceAt(std::string_view s, size_t i) {
  if (i >= s.size())
    return 0;
  Utf8Unit u = nextUtf8Unit(s, i);
  return u.kind == Utf8Unit::Valid && isPySpace(u.codePoint) ? u.length : 0;
}

/// Python's str.rstrip() with no argument, on UTF-8.
std::string_view rstripSpace(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 &&
           end - start < 4)
      --start;
    if (spaceAt(s, start) != end - start)
      break;
    end = start;
  }
  return s.substr(0, end);
}

bool isCased(uint32_t c) {
  utf8proc_category_t k = utf8proc_category(utf8proc_int32_t(c));
  return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
         k == UTF8PROC_CATEGORY_LT;
}
char32_t toUpper(char32_t c) {
  return char32_t(utf8proc_toupper(utf8proc_int32_t(c)));
}
char32_t toLower(char32_t c) {
  return char32_t(utf8proc_tolower(utf8proc_int32_t(c)));
}
char32_t toTitle(char32_t c) {
  return char32_t(utf8proc_totitle(utf8proc_int32_t(c)));
}

/// The few full case mappings (SpecialCasing.txt) that Python applies and a
/// per-character mapping cannot: the German sharp s and the Latin
/// ligatures.
const char *specialUpper(char32_t c, bool title) {
  switch (c) {
  case 0xDF:
    return title ? "Ss" : "SS";
  case 0xFB00:
    return title ? "Ff" : "FF";
  case 0xFB01:
    return title ? "Fi" : "FI";
  case 0xFB02:
    return title ? "Fl" : "FL";
  case 0xFB03:
    return title ? "Ffi" : "FFI";
  case 0xFB04:
    return title ? "Ffl" : "FFL";
  case 0xFB05:
  case 0xFB06:
    return title ? "St" : "ST";
  default:
    return nullptr;
  }
}

/// Maps each character: upper (1), title (2) or lower (0) case.
std::string mapCase(std::u32string_view u, const std::vector<int> &mode) {
  std::string out;
  for (size_t k = 0; k < u.size(); ++k) {
    char32_t c = u[k];
    if (mode[k] != 0)
      if (const char *special = specialUpper(c, mode[k] == 2)) {
        out += special;
        continue;
      }
    if (mode[k] == 0 && c == 0x130) { // İ: i and a combining dot
      out += "i\xCC\x87";
      continue;
    }
    appendUtf8(out, uint32_t(mode[k] == 1   ? toUpper(c)
                             : mode[k] == 2 ? toTitle(c)
                                            : toLower(c)));
  }
  return out;
}

std::string upperStr(std::string_view s) {
  if (isAscii(s)) {
    std::string out(s);
    for (char &c : out)
      if (c >= 'a' && c <= 'z')
        c = char(c - 32);
    return out;
  }
  std::u32string u = decodeUtf8(s);
  return mapCase(u, std::vector<int>(u.size(), 1));
}

std::string lowerStr(std::string_view s) {
  if (isAscii(s)) {
    std::string out(s);
    for (char &c : out)
      if (c >= 'A' && c <= 'Z')
        c = char(c + 32);
    return out;
  }
  std::u32string u = decodeUtf8(s);
  return mapCase(u, std::vector<int>(u.size(), 0));
}

/// Python's str.capitalize(): the first character in title case, the rest
/// in lower case.
std::string capitalizeStr(std::string_view s) {
  std::u32string u = decodeUtf8(s);
  std::vector<int> mode(u.size(), 0);
  if (!mode.empty())
    mode[0] = 2;
  return mapCase(u, mode);
}

/// Python's str.title(): a cased character after an uncased one starts a
/// word.
std::string titleStr(std::string_view s) {
  std::u32string u = decodeUtf8(s);
  std::vector<int> mode(u.size(), 0);
  bool previousCased = false;
  for (size_t k = 0; k < u.size(); ++k) {
    mode[k] = previousCased ? 0 : 2;
    previousCased = isCased(u[k]);
  }
  return mapCase(u, mode);
}

/// Python's str.islower()/isupper(): some cased character, and all of them
/// in that case.
bool hasOnlyCase(std::string_view s, bool lower) {
  bool any = false;
  for (char32_t c : decodeUtf8(s)) {
    if (!isCased(c))
      continue;
    any = true;
    if (lower ? toLower(c) != c || toUpper(c) == c
              : toUpper(c) != c || toLower(c) == c)
      return false;
  }
  return any;
}

/// Python's repr() of a float (the shortest text that reads back the same
/// double; fixed notation for exponents in [-4, 16)).
std::string pyFloat(double d) {
  if (std::isnan(d))
    return "nan";
  if (std::isinf(d))
    return d > 0 ? "inf" : "-inf";
  char buf[48];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d)
      break;
  }
  std::string text = buf;
  bool negative = text[0] == '-';
  size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits;
  for (size_t i = negative ? 1 : 0; i < e; ++i)
    if (text[i] != '.')
      digits += text[i];
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    int point = exponent + 1;
    if (point <= 0)
      out += "0." + std::string(size_t(-point), '0') + digits;
    else if (size_t(point) >= digits.size())
      out += digits + std::string(size_t(point) - digits.size(), '0') + ".0";
    else
      out +=
          digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1)
    out += "." + digits.substr(1);
  char exp[16];
  std::snprintf(exp, sizeof(exp), "e%c%02d", exponent < 0 ? '-' : '+',
                std::abs(exponent));
  return out + exp;
}

bool isPrintable(uint32_t c) {
  if (c < 0x20 || c == 0x7F)
    return false;
  if (c < 0x7F)
    return true;
  switch (utf8proc_category(utf8proc_int32_t(c))) {
  case UTF8PROC_CATEGORY_CC:
  case UTF8PROC_CATEGORY_CF:
  case UTF8PROC_CATEGORY_CS:
  case UTF8PROC_CATEGORY_CO:
  case UTF8PROC_CATEGORY_CN:
  case UTF8PROC_CATEGORY_ZL:
  case UTF8PROC_CATEGORY_ZP:
  case UTF8PROC_CATEGORY_ZS:
    return false;
  default:
    return true;
  }
}

/// Python's repr() of a str.
void appendPyRepr(std::string &out, std::string_view s) {
  char quote = '\'';
  if (s.find('\'') != std::string_view::npos &&
      s.find('"') == std::string_view::npos)
    quote = '"';
  out += quote;
  for (size_t i = 0; i < s.size();) {
    Utf8Unit u = nextUtf8Unit(s, i);
    uint32_t c = u.kind == Utf8Unit::Valid ? u.codePoint : 0xFFFD;
    char buf[16];
    if (c == uint32_t(quote) || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (!isPrintable(c)) {
      if (c < 0x100)
        std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      else if (c < 0x10000)
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      else
        std::snprintf(buf, sizeof(buf), "\\U%08x", c);
      out += buf;
    } else {
      appendUtf8(out, c);
    }
    i += u.length;
  }
  out += quote;
}

/// Python's json.dumps of a str, with ensure_ascii as given.
void appendJsonString(std::string &out, std::string_view s, bool ensureAscii) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    Utf8Unit u = nextUtf8Unit(s, i);
    uint32_t c = u.kind == Utf8Unit::Valid ? u.codePoint : 0xFFFD;
    char buf[16];
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    default:
      if (c < 0x20 || (ensureAscii && c > 0x7E && c < 0x10000)) {
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else if (ensureAscii && c >= 0x10000) {
        uint32_t v = c - 0x10000;
        std::snprintf(buf, sizeof(buf), "\\u%04x\\u%04x", 0xD800 + (v >> 10),
                      0xDC00 + (v & 0x3FF));
        out += buf;
      } else {
        appendUtf8(out, c);
      }
    }
    i += u.length;
  }
  out += '"';
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

struct Value;
using ValueList = std::vector<Value>;
struct Dict;
struct Callable;
struct LoopState;
struct Frame;
using FrameP = std::shared_ptr<Frame>;

/// A Jinja value. Strings, lists and dicts are immutable once built (the
/// transformers environment is an ImmutableSandboxedEnvironment) and shared;
/// only namespaces change. `nest` is the depth of lists and dicts inside
/// (bounded, so that walking a value never overflows the stack), and
/// `holdsNamespace` marks values that contain a namespace: a namespace may not
/// hold one, so that values can never form a cycle.
struct Value {
  enum Kind {
    Undefined,
    None,
    Bool,
    Int,
    Float,
    String,
    List,
    Dict,
    Namespace,
    Function,
    Loop,
  };
  Kind kind = Undefined;
  bool tuple = false;
  bool holdsNamespace = false;
  int nest = 0;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  /// String: the text. Undefined: the message of the error its use raises.
  std::shared_ptr<const std::string> s;
  std::shared_ptr<const ValueList> list;
  std::shared_ptr<struct Dict> dict;
  std::shared_ptr<const Callable> fn;
  std::shared_ptr<LoopState> loop;

  static Value undefined(std::string why) {
    Value v;
    v.s = std::make_shared<const std::string>(std::move(why));
    return v;
  }
  static Value none() {
    Value v;
    v.kind = None;
    return v;
  }
  static Value boolean(bool x) {
    Value v;
    v.kind = Bool;
    v.b = x;
    return v;
  }
  static Value integer(int64_t x) {
    Value v;
    v.kind = Int;
    v.i = x;
    return v;
  }
  static Value real(double x) {
    Value v;
    v.kind = Float;
    v.f = x;
    return v;
  }
  static Value string(std::string x) {
    Value v;
    v.kind = String;
    v.s = std::make_shared<const std::string>(std::move(x));
    return v;
  }
  /// A list (or tuple) of `items`; the caller checks `nest`.
  static Value makeList(ValueList items, bool tuple = false);
  static Value makeDict(std::shared_ptr<struct Dict> d);

  const std::string &str() const { return *s; }
  bool isNumber() const { return kind == Bool || kind == Int || kind == Float; }
  bool isIntLike() const { return kind == Bool || kind == Int; }
  int64_t asInt() const { return kind == Bool ? int64_t(b) : i; }
  double asDouble() const {
    return kind == Float ? f : kind == Bool ? double(b) : double(i);
  }
};

struct Dict {
  std::vector<std::pair<std::string, Value>> items;
  std::unordered_map<std::string, size_t> index;

  const Value *find(const std::string &key) const {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &items[it->second].second;
  }
  void set(const std::string &key, Value v) {
    auto it = index.find(key);
    if (it != index.end()) {
      items[it->second].second = std::move(v);
      return;
    }
    index.emplace(key, items.size());
    items.emplace_back(key, std::move(v));
  }
};

Value Value::makeList(ValueList items, bool tuple) {
  Value v;
  v.kind = List;
  v.tuple = tuple;
  int nest = 0;
  bool ns = false;
  for (const Value &x : items) {
    nest = std::max(nest, x.nest);
    ns = ns || x.holdsNamespace;
  }
  v.nest = nest + 1;
  v.holdsNamespace = ns;
  v.list = std::make_shared<const ValueList>(std::move(items));
  return v;
}

Value Value::makeDict(std::shared_ptr<struct Dict> d) {
  Value v;
  v.kind = Dict;
  int nest = 0;
  bool ns = false;
  for (const auto &[k, x] : d->items) {
    nest = std::max(nest, x.nest);
    ns = ns || x.holdsNamespace;
  }
  v.nest = nest + 1;
  v.holdsNamespace = ns;
  v.dict = std::move(d);
  return v;
}

/// Python's type name of a value, for messages.
const char *typeName(const Value &v) {
  switch (v.kind) {
  case Value::Undefined:
    return "Undefined";
  case Value::None:
    return "NoneType";
  case Value::Bool:
    return "bool";
  case Value::Int:
    return "int";
  case Value::Float:
    return "float";
  case Value::String:
    return "str";
  case Value::List:
    return v.tuple ? "tuple" : "list";
  case Value::Dict:
    return "dict";
  case Value::Namespace:
    return "Namespace";
  case Value::Function:
    return "function";
  case Value::Loop:
    return "LoopContext";
  }
  return "object";
}

/// Call arguments: positional, then keyword.
struct Args {
  ValueList pos;
  std::vector<std::pair<std::string, Value>> kw;
};

class Renderer;
struct Stmt;

/// A function value: a builtin, a bound method, or a macro.
struct Callable {
  std::string name;
  std::function<Result<Value>(Renderer &, Args &, size_t)> builtin;
  const Stmt *macro = nullptr;
  FrameP closure;
};

/// The `loop` variable of a for loop.
struct LoopState {
  std::shared_ptr<const ValueList> items;
  size_t index = 0;
};

struct Frame {
  std::unordered_map<std::string, Value> vars;
  FrameP parent;

  const Value *lookup(const std::string &name) const {
    for (const Frame *f = this; f; f = f->parent.get()) {
      auto it = f->vars.find(name);
      if (it != f->vars.end())
        return &it->second;
    }
    return nullptr;
  }
};

bool truthy(const Value &v) {
  switch (v.kind) {
  case Value::Undefined:
  case Value::None:
    return false;
  case Value::Bool:
    return v.b;
  case Value::Int:
    return v.i != 0;
  case Value::Float:
    return v.f != 0;
  case Value::String:
    return !v.s->empty();
  case Value::List:
    return !v.list->empty();
  case Value::Dict:
    return !v.dict->items.empty();
  default:
    return true;
  }
}

//===----------------------------------------------------------------------===//
// Tokens and the lexer (lexer.py)
//===----------------------------------------------------------------------===//

enum class Tok {
  Data,
  VarBegin,
  VarEnd,
  BlockBegin,
  BlockEnd,
  Name,
  String,
  Int,
  Float,
  Op,
  Eof,
};

struct Token {
  Tok kind;
  size_t pos;
  std::string text;
  int64_t i = 0;
  double f = 0;
};

} // namespace

//===----------------------------------------------------------------------===//
// The program
//===----------------------------------------------------------------------===//

namespace {
struct Expr;
using ExprP = std::unique_ptr<Expr>;
using Body = std::vector<std::unique_ptr<Stmt>>;
} // namespace

struct ChatTemplate::Program {
  std::string origin;
  /// The source as the lexer saw it: newlines normalized, one trailing
  /// newline removed.
  std::string source;
  std::vector<size_t> lineStarts;
  Body body;

  /// "line:column" of a byte offset; columns count characters from 1.
  std::string where(size_t offset) const {
    size_t line =
        size_t(std::upper_bound(lineStarts.begin(), lineStarts.end(), offset) -
               lineStarts.begin());
    size_t start = lineStarts[line - 1];
    size_t column = 1;
    for (size_t i = start; i < offset && i < source.size();) {
      i += nextUtf8Unit(source, i).length;
      ++column;
    }
    return std::to_string(line) + ":" + std::to_string(column);
  }
  Error error(size_t offset, const std::string &message) const {
    return Error(origin + " " + where(offset) + ": " + message);
  }
};

namespace {

using Program = ChatTemplate::Program;

class Lexer {
public:
  explicit Lexer(const Program &program) : p_(program), src_(program.source) {}

  Result<std::vector<Token>> run() {
    size_t pos = 0, n = src_.size();
    bool lineStarting = true;
    while (pos < n) {
      size_t tag = findTag(pos);
      if (tag == std::string::npos) {
        data(pos, src_.substr(pos));
        break;
      }
      char kind = src_[tag + 1];
      char sign = tag + 2 < n && (src_[tag + 2] == '-' || src_[tag + 2] == '+')
                      ? src_[tag + 2]
                      : 0;
      std::string_view text(src_.data() + pos, tag - pos);
      size_t rawEnd = kind == '%' ? rawBegin(tag) : 0;
      // Whitespace control: '-' strips all whitespace before the tag;
      // otherwise lstrip_blocks strips the spaces and tabs between the start
      // of the line and a block or comment tag.
      if (sign == '-') {
        text = rstripSpace(text);
      } else if (sign != '+' && kind != '{') {
        size_t lineStart = text.rfind('\n');
        lineStart = lineStart == std::string_view::npos ? 0 : lineStart + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.size() &&
            onlySpace(text.substr(lineStart)))
          text = text.substr(0, lineStart);
      }
      data(pos, std::string(text));
      if (rawEnd) {
        MAMBA_TRY(raw(tag, rawEnd, pos, lineStarting));
        continue;
      }
      if (kind == '#') {
        MAMBA_TRY(comment(tag, sign ? tag + 3 : tag + 2, pos, lineStarting));
        continue;
      }
      MAMBA_TRY(tag_(tag, kind, sign ? tag + 3 : tag + 2, pos, lineStarting));
    }
    out_.push_back({Tok::Eof, n, "", 0, 0});
    return std::move(out_);
  }

private:
  const Program &p_;
  const std::string &src_;
  std::vector<Token> out_;

  size_t findTag(size_t from) const {
    for (size_t i = src_.find('{', from); i != std::string::npos;
         i = src_.find('{', i + 1))
      if (i + 1 < src_.size() &&
          (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#'))
        return i;
    return std::string::npos;
  }

  static bool onlySpace(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      size_t len = spaceAt(s, i);
      if (!len)
        return false;
      i += len;
    }
    return true;
  }

  void data(size_t pos, std::string text) {
    if (!text.empty())
      out_.push_back({Tok::Data, pos, std::move(text), 0, 0});
  }

  size_t skipSpace(size_t i) const {
    while (size_t len = spaceAt(src_, i))
      i += len;
    return i;
  }

  bool at(size_t i, const char *s) const {
    return src_.compare(i, std::strlen(s), s) == 0;
  }

  /// The end of `{% raw %}` at `tag` (after its '%}'), or 0.
  size_t rawBegin(size_t tag) const {
    size_t i = tag + 2;
    if (i < src_.size() && (src_[i] == '-' || src_[i] == '+'))
      ++i;
    i = skipSpace(i);
    if (!at(i, "raw"))
      return 0;
    i = skipSpace(i + 3);
    if (at(i, "-%}"))
      return skipSpace(i + 3);
    if (at(i, "%}"))
      return i + 2;
    return 0;
  }

  /// The body of a raw block, up to its {% endraw %}.
  Status raw(size_t tag, size_t bodyStart, size_t &pos, bool &lineStarting) {
    for (size_t i = src_.find("{%", bodyStart); i != std::string::npos;
         i = src_.find("{%", i + 1)) {
      size_t j = i + 2;
      char sign = 0;
      if (j < src_.size() && (src_[j] == '-' || src_[j] == '+'))
        sign = src_[j++];
      j = skipSpace(j);
      if (!at(j, "endraw"))
        continue;
      j = skipSpace(j + 6);
      size_t end;
      if (at(j, "+%}"))
        end = j + 3;
      else if (at(j, "-%}"))
        end = skipSpace(j + 3);
      else if (at(j, "%}"))
        end = j + 2 + (at(j + 2, "\n") ? 1 : 0);
      else
        continue;
      std::string_view text(src_.data() + bodyStart, i - bodyStart);
      if (sign == '-') {
        text = rstripSpace(text);
      } else if (sign != '+') {
        size_t lineStart = text.rfind('\n');
        lineStart = lineStart == std::string_view::npos ? 0 : lineStart + 1;
        bool afterNewline = src_[bodyStart - 1] == '\n';
        if ((lineStart > 0 || afterNewline) && lineStart < text.size() &&
            onlySpace(text.substr(lineStart)))
          text = text.substr(0, lineStart);
      }
      data(bodyStart, std::string(text));
      pos = end;
      lineStarting = end > 0 && src_[end - 1] == '\n';
      return Status::success();
    }
    return p_.error(tag, "unclosed '{% raw %}' (no '{% endraw %}')");
  }

  Status comment(size_t tag, size_t bodyStart, size_t &pos,
                 bool &lineStarting) {
    size_t close = src_.find("#}", bodyStart);
    if (close == std::string::npos)
      return p_.error(tag, "unclosed comment (no '#}')");
    size_t end = close + 2;
    char sign = close > bodyStart ? src_[close - 1] : 0;
    if (sign == '-')
      end = skipSpace(end);
    else if (sign != '+' && at(end, "\n"))
      ++end;
    pos = end;
    lineStarting = src_[end - 1] == '\n';
    return Status::success();
  }

  /// The tokens of a {{ ... }} or {% ... %} tag.
  Status tag_(size_t tag, char kind, size_t i, size_t &pos,
              bool &lineStarting) {
    out_.push_back({kind == '{' ? Tok::VarBegin : Tok::BlockBegin, tag,
                    kind == '{' ? "{{" : "{%", 0, 0});
    std::string balance;
    const size_t n = src_.size();
    while (true) {
      if (i >= n)
        return p_.error(tag, kind == '{' ? "unclosed '{{' (no '}}')"
                                         : "unclosed '{%' (no '%}')");
      if (balance.empty()) {
        size_t end = 0;
        if (kind == '%') {
          if (at(i, "+%}"))
            end = i + 3;
          else if (at(i, "-%}"))
            end = skipSpace(i + 3);
          else if (at(i, "%}"))
            end = i + 2 + (at(i + 2, "\n") ? 1 : 0);
        } else {
          if (at(i, "-}}"))
            end = skipSpace(i + 3);
          else if (at(i, "}}"))
            end = i + 2;
        }
        if (end) {
          out_.push_back({kind == '{' ? Tok::VarEnd : Tok::BlockEnd, i,
                          kind == '{' ? "}}" : "%}", 0, 0});
          pos = end;
          lineStarting = src_[end - 1] == '\n';
          return Status::success();
        }
      }
      if (size_t len = spaceAt(src_, i)) {
        i += len;
        continue;
      }
      char c = src_[i];
      if (c >= '0' && c <= '9') {
        MAMBA_TRY(number(i));
        continue;
      }
      if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        size_t j = i;
        while (j < n &&
               (src_[j] == '_' || std::isalnum((unsigned char)src_[j])))
          ++j;
        out_.push_back({Tok::Name, i, src_.substr(i, j - i), 0, 0});
        i = j;
        continue;
      }
      if (c == '\'' || c == '"') {
        MAMBA_TRY(string(i));
        continue;
      }
      static const char *const ops[] = {"//", "**", "==", "!=", ">=", "<=", "+",
                                        "-",  "/",  "*",  "%",  "~",  "[",  "]",
                                        "(",  ")",  "{",  "}",  ">",  "<",  "=",
                                        ".",  ":",  "|",  ",",  ";"};
      const char *op = nullptr;
      for (const char *o : ops)
        if (at(i, o)) {
          op = o;
          break;
        }
      if (!op) {
        Utf8Unit u = nextUtf8Unit(src_, i);
        return p_.error(i, "unexpected character '" + src_.substr(i, u.length) +
                               "'");
      }
      char o = op[0];
      if (!op[1] && (o == '(' || o == '[' || o == '{')) {
        balance += o == '(' ? ')' : o == '[' ? ']' : '}';
      } else if (!op[1] && (o == ')' || o == ']' || o == '}')) {
        if (balance.empty())
          return p_.error(i, std::string("unexpected '") + o + "'");
        if (balance.back() != o)
          return p_.error(i, std::string("unexpected '") + o + "', expected '" +
                                 balance.back() + "'");
        balance.pop_back();
      }
      out_.push_back({Tok::Op, i, op, 0, 0});
      i += std::strlen(op);
    }
  }

  /// Digits with single underscores between them: (\d+_)*\d+.
  size_t digits(size_t i, int base = 10) const {
    auto isDigit = [&](size_t k) {
      if (k >= src_.size())
        return false;
      char c = char(std::tolower((unsigned char)src_[k]));
      if (base == 16)
        return std::isxdigit((unsigned char)c) != 0;
      return c >= '0' && c < char('0' + base);
    };
    if (!isDigit(i))
      return i;
    size_t j = i;
    while (true) {
      while (isDigit(j))
        ++j;
      if (j < src_.size() && src_[j] == '_' && isDigit(j + 1)) {
        ++j;
        continue;
      }
      return j;
    }
  }

  static std::string withoutUnderscores(std::string_view s) {
    std::string out;
    for (char c : s)
      if (c != '_')
        out += c;
    return out;
  }

  Status number(size_t &i) {
    const size_t start = i;
    // float_re: digits, then (.digits)?e[+-]?digits or .digits; not right
    // after a '.' (so that `x.0.1` stays two subscripts).
    if (!(start > 0 && src_[start - 1] == '.')) {
      size_t j = digits(start), end = 0;
      size_t afterFraction = j;
      if (j < src_.size() && src_[j] == '.' && digits(j + 1) > j + 1)
        afterFraction = digits(j + 1);
      size_t k = afterFraction;
      if (k < src_.size() && (src_[k] == 'e' || src_[k] == 'E')) {
        size_t m = k + 1;
        if (m < src_.size() && (src_[m] == '+' || src_[m] == '-'))
          ++m;
        if (digits(m) > m)
          end = digits(m);
      }
      if (!end && afterFraction > j)
        end = afterFraction;
      if (end) {
        std::string text = withoutUnderscores(src_.substr(start, end - start));
        out_.push_back({Tok::Float, start, src_.substr(start, end - start), 0,
                        std::strtod(text.c_str(), nullptr)});
        i = end;
        return Status::success();
      }
    }
    // integer_re: 0b.., 0o.., 0x.., [1-9](_?\d)*, 0(_?0)*.
    int base = 10;
    size_t body = start, end;
    char prefix = start + 1 < src_.size()
                      ? char(std::tolower((unsigned char)src_[start + 1]))
                      : 0;
    if (src_[start] == '0' &&
        (prefix == 'b' || prefix == 'o' || prefix == 'x')) {
      base = prefix == 'b' ? 2 : prefix == 'o' ? 8 : 16;
      body = start + 2;
      // The underscore may also follow the prefix.
      size_t first = body < src_.size() && src_[body] == '_' ? body + 1 : body;
      end = digits(first, base);
      if (end == first) {
        base = 10;
        end = start + 1;
        body = start;
      }
    } else if (src_[start] == '0') {
      end = start + 1;
      while (end < src_.size() &&
             (src_[end] == '0' || (src_[end] == '_' && end + 1 < src_.size() &&
                                   src_[end + 1] == '0')))
        ++end;
    } else {
      end = digits(start);
    }
    std::string text = withoutUnderscores(src_.substr(body, end - body));
    errno = 0;
    char *stop = nullptr;
    unsigned long long v = std::strtoull(text.c_str(), &stop, base);
    if (errno == ERANGE || v > uint64_t(INT64_MAX))
      return p_.error(start, "integer " + src_.substr(start, end - start) +
                                 " does not fit in 64 bits");
    out_.push_back(
        {Tok::Int, start, src_.substr(start, end - start), int64_t(v), 0});
    i = end;
    return Status::success();
  }

  /// A string literal with Python's escapes (the lexer decodes them with
  /// "unicode-escape").
  Status string(size_t &i) {
    const size_t start = i;
    const char quote = src_[i];
    std::string value;
    size_t j = i + 1;
    auto hex = [&](size_t at, int count, uint32_t &out) {
      out = 0;
      for (int k = 0; k < count; ++k) {
        if (at + size_t(k) >= src_.size() ||
            !std::isxdigit((unsigned char)src_[at + size_t(k)]))
          return false;
        char c = char(std::tolower((unsigned char)src_[at + size_t(k)]));
        out = out * 16 + uint32_t(c <= '9' ? c - '0' : c - 'a' + 10);
      }
      return true;
    };
    while (true) {
      if (j >= src_.size())
        return p_.error(start, "unterminated string");
      char c = src_[j];
      if (c == quote)
        break;
      if (c != '\\') {
        value += c;
        ++j;
        continue;
      }
      if (j + 1 >= src_.size())
        return p_.error(start, "unterminated string");
      char e = src_[j + 1];
      j += 2;
      uint32_t code = 0;
      switch (e) {
      case '\n':
        break;
      case '\\':
      case '\'':
      case '"':
        value += e;
        break;
      case 'a':
        value += '\a';
        break;
      case 'b':
        value += '\b';
        break;
      case 'f':
        value += '\f';
        break;
      case 'n':
        value += '\n';
        break;
      case 'r':
        value += '\r';
        break;
      case 't':
        value += '\t';
        break;
      case 'v':
        value += '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        int count = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (!hex(j, count, code))
          return p_.error(j - 2, std::string("truncated \\") + e + " escape");
        j += size_t(count);
        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
          return p_.error(j - size_t(count) - 2,
                          "the escape names no Unicode character");
        appendUtf8(value, code);
        break;
      }
      case 'N':
        return p_.error(j - 2, "\\N{...} escapes are not supported");
      default:
        if (e >= '0' && e <= '7') {
          code = uint32_t(e - '0');
          for (int k = 0;
               k < 2 && j < src_.size() && src_[j] >= '0' && src_[j] <= '7';
               ++k)
            code = code * 8 + uint32_t(src_[j++] - '0');
          appendUtf8(value, code);
        } else {
          value += '\\';
          value += e;
        }
      }
    }
    out_.push_back({Tok::String, start, std::move(value), 0, 0});
    i = j + 1;
    return Status::success();
  }
};

//===----------------------------------------------------------------------===//
// The tree (nodes.py)
//===----------------------------------------------------------------------===//

using FilterFn = Result<Value> (*)(Renderer &, const Value &, Args &, size_t);
using TestFn = Result<bool> (*)(Renderer &, const Value &, Args &, size_t);

enum class EK {
  Const,
  Name,
  List,
  Tuple,
  Dict,
  Getattr,
  Getitem,
  Slice,
  Call,
  Filter,
  Test,
  Neg,
  Pos,
  Not,
  Binary,
  Concat,
  Compare,
  And,
  Or,
  Cond,
  /// The text of a {% filter %} or {% set x | f %} block.
  Placeholder,
};

struct Expr {
  EK kind;
  size_t pos;
  /// Name: the variable; Getattr: the attribute; Filter, Test: the name;
  /// Binary: the operator.
  std::string name;
  Value value;
  /// Getattr, Getitem, Slice, Call (the callee), Filter, Test, Neg, Pos,
  /// Not.
  ExprP subject;
  /// Items, operands, call arguments; Dict: key, value, key, value...;
  /// Slice: start, stop, step (null where left out); Cond: then, test, else
  /// (null when there is none).
  std::vector<ExprP> args;
  std::vector<std::pair<std::string, ExprP>> kwargs;
  /// Compare: the operator between args[i] and args[i + 1].
  std::vector<std::string> ops;
  bool negated = false;
  FilterFn filter = nullptr;
  TestFn test = nullptr;
};

ExprP makeExpr(EK kind, size_t pos) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

enum class SK {
  Text,
  Print,
  If,
  For,
  Set,
  SetBlock,
  Macro,
  Break,
  Continue,
  FilterBlock,
  With,
  Scope,
};

/// An assignment target: `x`, `ns.x`, or a tuple of them.
struct Target {
  struct Item {
    std::string name, attr;
    size_t pos;
  };
  std::vector<Item> items;
  bool tuple = false;
};

struct Stmt {
  SK kind;
  size_t pos;
  /// Text: the text; Macro: its name.
  std::string text;
  /// Print, Set: the value; For: the iterable; SetBlock, FilterBlock: the
  /// filters applied to the block's text (around a Placeholder), or null.
  ExprP expr;
  /// For: the `if` filter.
  ExprP cond;
  Target target;
  /// If: each condition and its body.
  std::vector<std::pair<ExprP, Body>> branches;
  Body body, orelse;
  /// Macro: the parameters and their defaults (null: none); With: the
  /// names and their values.
  std::vector<std::pair<std::string, ExprP>> params;
  bool usesVarargs = false, usesKwargs = false;
};

std::unique_ptr<Stmt> makeStmt(SK kind, size_t pos) {
  auto s = std::make_unique<Stmt>();
  s->kind = kind;
  s->pos = pos;
  return s;
}

const std::unordered_map<std::string, FilterFn> &filterTable();
const std::unordered_map<std::string, TestFn> &testTable();

//===----------------------------------------------------------------------===//
// The parser (parser.py)
//===----------------------------------------------------------------------===//

class Parser {
public:
  Parser(const Program &program, std::vector<Token> tokens)
      : p_(program), toks_(std::move(tokens)) {}

  Status parseTemplate(Body &out) { return parseBody(out, {}); }

private:
  /// A block being parsed, for the messages about its end.
  struct Open {
    std::string tag;
    size_t pos;
    std::vector<std::string> ends;
  };

  const Program &p_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  std::vector<Open> open_;
  int depth_ = 0;
  int loops_ = 0;
  static constexpr int kMaxDepth = 200;

  struct DepthGuard {
    int &depth;
    ~DepthGuard() { --depth; }
  };

  const Token &cur() const { return toks_[i_]; }
  const Token &look() const {
    return toks_[std::min(i_ + 1, toks_.size() - 1)];
  }
  void next() {
    if (i_ + 1 < toks_.size())
      ++i_;
  }
  bool isOp(const char *op) const {
    return cur().kind == Tok::Op && cur().text == op;
  }
  bool isName(const char *name) const {
    return cur().kind == Tok::Name && cur().text == name;
  }
  bool skipOp(const char *op) {
    if (!isOp(op))
      return false;
    next();
    return true;
  }
  bool skipName(const char *name) {
    if (!isName(name))
      return false;
    next();
    return true;
  }

  static std::string describe(const Token &t) {
    switch (t.kind) {
    case Tok::Data:
      return "template text";
    case Tok::VarBegin:
      return "'{{'";
    case Tok::VarEnd:
      return "'}}'";
    case Tok::BlockBegin:
      return "'{%'";
    case Tok::BlockEnd:
      return "'%}'";
    case Tok::Eof:
      return "the end of the template";
    case Tok::String:
      return "a string";
    default:
      return "'" + t.text + "'";
    }
  }

  Error unexpected(const std::string &expected) const {
    return p_.error(cur().pos,
                    "expected " + expected + ", got " + describe(cur()));
  }
  Status expectOp(const char *op) {
    if (!skipOp(op))
      return unexpected(std::string("'") + op + "'");
    return Status::success();
  }
  Status expectName(const char *name) {
    if (!skipName(name))
      return unexpected(std::string("'") + name + "'");
    return Status::success();
  }
  Result<std::string> name() {
    if (cur().kind != Tok::Name)
      return unexpected("a name");
    std::string n = cur().text;
    next();
    return n;
  }
  Status blockEnd() {
    if (cur().kind != Tok::BlockEnd)
      return unexpected("'%}'");
    next();
    return Status::success();
  }
  Status enter() {
    if (++depth_ > kMaxDepth)
      return p_.error(cur().pos, "the template nests deeper than " +
                                     std::to_string(kMaxDepth) + " levels");
    return Status::success();
  }

  static std::string list(const std::vector<std::string> &names) {
    std::string out;
    for (size_t k = 0; k < names.size(); ++k)
      out += (k == 0                  ? ""
              : k + 1 == names.size() ? " or "
                                      : ", ") +
             ("'" + names[k] + "'");
    return out;
  }

  /// Statements and text until a block tag named in `ends` (left as the
  /// current token, its '{%' consumed) or, when `ends` is empty, the end.
  Status parseBody(Body &out, const std::vector<std::string> &ends) {
    while (true) {
      const Token &t = cur();
      switch (t.kind) {
      case Tok::Eof:
        if (!ends.empty())
          return p_.error(open_.back().pos, "unclosed '" + open_.back().tag +
                                                "': the template ends before " +
                                                list(ends));
        return Status::success();
      case Tok::Data: {
        auto s = makeStmt(SK::Text, t.pos);
        s->text = t.text;
        out.push_back(std::move(s));
        next();
        break;
      }
      case Tok::VarBegin: {
        auto s = makeStmt(SK::Print, t.pos);
        next();
        CT_ASSIGN(s->expr, parseTuple());
        if (cur().kind != Tok::VarEnd)
          return unexpected("'}}'");
        next();
        out.push_back(std::move(s));
        break;
      }
      case Tok::BlockBegin:
        next();
        if (cur().kind == Tok::Name &&
            std::find(ends.begin(), ends.end(), cur().text) != ends.end())
          return Status::success();
        MAMBA_TRY(parseStatement(out));
        break;
      default:
        return unexpected("template text or a tag");
      }
    }
  }

  [[gnu::noinline]] Status parseStatement(Body &out) {
    MAMBA_TRY(enter());
    DepthGuard guard{depth_};
    if (cur().kind != Tok::Name)
      return unexpected("a tag name");
    const std::string tag = cur().text;
    const size_t pos = cur().pos;
    if (tag == "if")
      return parseIf(out);
    if (tag == "for")
      return parseFor(out);
    if (tag == "set")
      return parseSet(out);
    if (tag == "macro")
      return parseMacro(out);
    if (tag == "filter" || tag == "generation" || tag == "with")
      return parseBlock(out, tag);
    if (tag == "break" || tag == "continue") {
      if (!loops_)
        return p_.error(pos, "'" + tag + "' outside of a for loop");
      next();
      MAMBA_TRY(blockEnd());
      out.push_back(makeStmt(tag == "break" ? SK::Break : SK::Continue, pos));
      return Status::success();
    }
    static const char *const unsupported[] = {
        "call",  "include",   "import", "from",       "extends",
        "block", "macro",     "raw",    "autoescape", "do",
        "trans", "pluralize", "print",  "debug",      "recursive",
    };
    for (const char *u : unsupported)
      if (tag == u)
        return p_.error(pos, "the '" + tag + "' tag is not supported");
    static const char *const ends[] = {
        "endif",         "endfor",   "elif",      "else",
        "endset",        "endmacro", "endfilter", "endwith",
        "endgeneration", "endraw",   "endcall",   "endblock",
    };
    for (const char *e : ends)
      if (tag == e) {
        if (open_.empty())
          return p_.error(pos, "unexpected '" + tag + "': no block is open");
        const Open &o = open_.back();
        return p_.error(pos, "unexpected '" + tag + "': the innermost open " +
                                 "block is '" + o.tag + "' (at " +
                                 p_.where(o.pos) + "), which ends with " +
                                 list(o.ends));
      }
    return p_.error(pos, "unknown tag '" + tag + "'");
  }

  [[gnu::noinline]] Status parseIf(Body &out) {
    auto s = makeStmt(SK::If, cur().pos);
    next();
    ExprP cond;
    CT_ASSIGN(cond, parseTuple(false));
    MAMBA_TRY(blockEnd());
    open_.push_back({"if", s->pos, {"elif", "else", "endif"}});
    while (true) {
      Body body;
      MAMBA_TRY(parseBody(body, {"elif", "else", "endif"}));
      s->branches.emplace_back(std::move(cond), std::move(body));
      std::string end = cur().text;
      next();
      if (end == "elif") {
        CT_ASSIGN(cond, parseTuple(false));
        MAMBA_TRY(blockEnd());
        continue;
      }
      MAMBA_TRY(blockEnd());
      if (end == "else") {
        open_.back().ends = {"endif"};
        MAMBA_TRY(parseBody(s->orelse, {"endif"}));
        next();
        MAMBA_TRY(blockEnd());
      }
      break;
    }
    open_.pop_back();
    out.push_back(std::move(s));
    return Status::success();
  }

  [[gnu::noinline]] Status parseFor(Body &out) {
    auto s = makeStmt(SK::For, cur().pos);
    next();
    CT_ASSIGN(s->target, parseTarget(false, "in"));
    MAMBA_TRY(expectName("in"));
    CT_ASSIGN(s->expr, parseTuple(false, false, "recursive"));
    if (skipName("if"))
      CT_ASSIGN(s->cond, parseExpression(true));
    if (isName("recursive"))
      return p_.error(cur().pos, "recursive loops are not supported");
    MAMBA_TRY(blockEnd());
    open_.push_back({"for", s->pos, {"else", "endfor"}});
    ++loops_;
    Status body = parseBody(s->body, {"else", "endfor"});
    --loops_;
    MAMBA_TRY(body);
    std::string end = cur().text;
    next();
    MAMBA_TRY(blockEnd());
    if (end == "else") {
      open_.back().ends = {"endfor"};
      MAMBA_TRY(parseBody(s->orelse, {"endfor"}));
      next();
      MAMBA_TRY(blockEnd());
    }
    open_.pop_back();
    out.push_back(std::move(s));
    return Status::success();
  }

  [[gnu::noinline]] Status parseSet(Body &out) {
    const size_t pos = cur().pos;
    next();
    Target target;
    CT_ASSIGN(target, parseTarget(true, nullptr));
    if (skipOp("=")) {
      auto s = makeStmt(SK::Set, pos);
      s->target = std::move(target);
      CT_ASSIGN(s->expr, parseTuple());
      MAMBA_TRY(blockEnd());
      out.push_back(std::move(s));
      return Status::success();
    }
    auto s = makeStmt(SK::SetBlock, pos);
    s->target = std::move(target);
    if (isOp("|"))
      CT_ASSIGN(s->expr, parseFilter(makeExpr(EK::Placeholder, pos), false));
    MAMBA_TRY(blockEnd());
    open_.push_back({"set", pos, {"endset"}});
    MAMBA_TRY(parseBody(s->body, {"endset"}));
    next();
    MAMBA_TRY(blockEnd());
    open_.pop_back();
    out.push_back(std::move(s));
    return Status::success();
  }

  /// Whether `body` reads the variable `name` (for a macro's varargs and
  /// kwargs).
  static bool reads(const Expr *e, const std::string &name) {
    if (!e)
      return false;
    if (e->kind == EK::Name && e->name == name)
      return true;
    if (reads(e->subject.get(), name))
      return true;
    for (const ExprP &a : e->args)
      if (reads(a.get(), name))
        return true;
    for (const auto &kw : e->kwargs)
      if (reads(kw.second.get(), name))
        return true;
    return false;
  }
  static bool reads(const Body &body, const std::string &name) {
    for (const auto &s : body) {
      if (reads(s->expr.get(), name) || reads(s->cond.get(), name) ||
          reads(s->body, name) || reads(s->orelse, name))
        return true;
      for (const auto &b : s->branches)
        if (reads(b.first.get(), name) || reads(b.second, name))
          return true;
      for (const auto &p : s->params)
        if (reads(p.second.get(), name))
          return true;
    }
    return false;
  }

  [[gnu::noinline]] Status parseMacro(Body &out) {
    auto s = makeStmt(SK::Macro, cur().pos);
    next();
    CT_ASSIGN(s->text, name());
    MAMBA_TRY(expectOp("("));
    bool defaults = false;
    while (!isOp(")")) {
      if (!s->params.empty())
        MAMBA_TRY(expectOp(","));
      const size_t pos = cur().pos;
      std::string param;
      CT_ASSIGN(param, name());
      ExprP def;
      if (skipOp("=")) {
        CT_ASSIGN(def, parseExpression(true));
        defaults = true;
      } else if (defaults) {
        return p_.error(pos, "a parameter without a default follows one "
                             "with a default");
      }
      s->params.emplace_back(param, std::move(def));
    }
    next();
    MAMBA_TRY(blockEnd());
    open_.push_back({"macro", s->pos, {"endmacro"}});
    int loops = loops_;
    loops_ = 0;
    Status body = parseBody(s->body, {"endmacro"});
    loops_ = loops;
    MAMBA_TRY(body);
    next();
    MAMBA_TRY(blockEnd());
    open_.pop_back();
    s->usesVarargs = reads(s->body, "varargs");
    s->usesKwargs = reads(s->body, "kwargs");
    out.push_back(std::move(s));
    return Status::success();
  }

  /// {% filter f %}, {% with a = 1 %}, {% generation %} (transformers'
  /// marker of the assistant's text, which renders its body).
  [[gnu::noinline]] Status parseBlock(Body &out, const std::string &tag) {
    const size_t pos = cur().pos;
    next();
    auto s = makeStmt(tag == "filter" ? SK::FilterBlock
                      : tag == "with" ? SK::With
                                      : SK::Scope,
                      pos);
    if (tag == "filter") {
      CT_ASSIGN(s->expr, parseFilter(makeExpr(EK::Placeholder, pos), true));
    } else if (tag == "with") {
      while (cur().kind != Tok::BlockEnd) {
        if (!s->params.empty())
          MAMBA_TRY(expectOp(","));
        std::string n;
        CT_ASSIGN(n, name());
        MAMBA_TRY(expectOp("="));
        ExprP value;
        CT_ASSIGN(value, parseExpression(true));
        s->params.emplace_back(n, std::move(value));
      }
    }
    MAMBA_TRY(blockEnd());
    std::string end = "end" + tag;
    open_.push_back({tag, pos, {end}});
    MAMBA_TRY(parseBody(s->body, {end}));
    next();
    MAMBA_TRY(blockEnd());
    open_.pop_back();
    out.push_back(std::move(s));
    return Status::success();
  }

  /// parse_assign_target: a name, `ns.attr` when `withNamespace`, or a
  /// tuple of those (in parentheses or not).
  Result<Target> parseTarget(bool withNamespace, const char *endName) {
    Target t;
    bool paren = skipOp("(");
    while (true) {
      const Token &tok = cur();
      if (tok.kind != Tok::Name)
        return unexpected("a name to assign to");
      static const char *const constants[] = {"true", "false", "none",
                                              "True", "False", "None"};
      for (const char *c : constants)
        if (tok.text == c)
          return p_.error(tok.pos, "cannot assign to '" + tok.text + "'");
      Target::Item item{tok.text, "", tok.pos};
      next();
      if (withNamespace && skipOp("."))
        CT_ASSIGN(item.attr, name());
      t.items.push_back(std::move(item));
      if (!skipOp(","))
        break;
      t.tuple = true;
      if ((endName && isName(endName)) || isOp("=") || isOp(")") ||
          cur().kind == Tok::BlockEnd)
        break;
    }
    if (paren)
      MAMBA_TRY(expectOp(")"));
    return t;
  }

  bool tupleEnd(const char *endName) const {
    return cur().kind == Tok::VarEnd || cur().kind == Tok::BlockEnd ||
           isOp(")") || (endName && isName(endName));
  }

  /// parse_tuple: expressions separated by commas; a tuple when there is a
  /// comma.
  Result<ExprP> parseTuple(bool withCondexpr = true,
                           bool explicitParens = false,
                           const char *endName = nullptr) {
    const size_t pos = cur().pos;
    std::vector<ExprP> items;
    bool isTuple = false;
    while (true) {
      if (!items.empty())
        MAMBA_TRY(expectOp(","));
      if (tupleEnd(endName))
        break;
      ExprP e;
      CT_ASSIGN(e, parseExpression(withCondexpr));
      items.push_back(std::move(e));
      if (isOp(","))
        isTuple = true;
      else
        break;
    }
    if (!isTuple) {
      if (!items.empty())
        return std::move(items[0]);
      if (!explicitParens)
        return unexpected("an expression");
    }
    ExprP t = makeExpr(EK::Tuple, pos);
    t->args = std::move(items);
    return t;
  }

  Result<ExprP> parseExpression(bool withCondexpr) {
    MAMBA_TRY(enter());
    DepthGuard guard{depth_};
    return withCondexpr ? parseCondexpr() : parseOr();
  }

  Result<ExprP> parseCondexpr() {
    ExprP e;
    CT_ASSIGN(e, parseOr());
    while (isName("if")) {
      const size_t pos = cur().pos;
      next();
      ExprP test, orelse;
      CT_ASSIGN(test, parseOr());
      if (skipName("else"))
        CT_ASSIGN(orelse, parseCondexpr());
      ExprP c = makeExpr(EK::Cond, pos);
      c->args.push_back(std::move(e));
      c->args.push_back(std::move(test));
      c->args.push_back(std::move(orelse));
      e = std::move(c);
    }
    return e;
  }

  Result<ExprP> parseOr() {
    ExprP e;
    CT_ASSIGN(e, parseAnd());
    while (isName("or")) {
      ExprP o = makeExpr(EK::Or, cur().pos);
      next();
      o->args.push_back(std::move(e));
      ExprP right;
      CT_ASSIGN(right, parseAnd());
      o->args.push_back(std::move(right));
      e = std::move(o);
    }
    return e;
  }

  Result<ExprP> parseAnd() {
    ExprP e;
    CT_ASSIGN(e, parseNot());
    while (isName("and")) {
      ExprP a = makeExpr(EK::And, cur().pos);
      next();
      a->args.push_back(std::move(e));
      ExprP right;
      CT_ASSIGN(right, parseNot());
      a->args.push_back(std::move(right));
      e = std::move(a);
    }
    return e;
  }

  Result<ExprP> parseNot() {
    if (isName("not")) {
      MAMBA_TRY(enter());
      DepthGuard guard{depth_};
      ExprP n = makeExpr(EK::Not, cur().pos);
      next();
      CT_ASSIGN(n->subject, parseNot());
      return n;
    }
    return parseCompare();
  }

  Result<ExprP> parseCompare() {
    const size_t pos = cur().pos;
    ExprP first;
    CT_ASSIGN(first, parseMath1());
    ExprP c;
    while (true) {
      std::string op;
      if (cur().kind == Tok::Op &&
          (cur().text == "==" || cur().text == "!=" || cur().text == "<" ||
           cur().text == "<=" || cur().text == ">" || cur().text == ">=")) {
        op = cur().text;
        next();
      } else if (isName("in")) {
        op = "in";
        next();
      } else if (isName("not") && look().kind == Tok::Name &&
                 look().text == "in") {
        op = "not in";
        next();
        next();
      } else {
        break;
      }
      if (!c) {
        c = makeExpr(EK::Compare, pos);
        c->args.push_back(std::move(first));
      }
      ExprP operand;
      CT_ASSIGN(operand, parseMath1());
      c->args.push_back(std::move(operand));
      c->ops.push_back(op);
    }
    return c ? std::move(c) : std::move(first);
  }

  /// A left-associative chain of binary operators `ops` over `operand`.
  template <typename F>
  Result<ExprP> binaryChain(std::initializer_list<const char *> ops,
                            F operand) {
    ExprP e;
    CT_ASSIGN(e, operand());
    while (true) {
      const char *found = nullptr;
      for (const char *op : ops)
        if (isOp(op))
          found = op;
      if (!found)
        return e;
      ExprP b = makeExpr(EK::Binary, cur().pos);
      b->name = found;
      next();
      b->args.push_back(std::move(e));
      ExprP right;
      CT_ASSIGN(right, operand());
      b->args.push_back(std::move(right));
      e = std::move(b);
    }
  }

  Result<ExprP> parseMath1() {
    return binaryChain({"+", "-"}, [this] { return parseConcat(); });
  }

  Result<ExprP> parseConcat() {
    const size_t pos = cur().pos;
    ExprP first;
    CT_ASSIGN(first, parseMath2());
    if (!isOp("~"))
      return first;
    ExprP c = makeExpr(EK::Concat, pos);
    c->args.push_back(std::move(first));
    while (skipOp("~")) {
      ExprP e;
      CT_ASSIGN(e, parseMath2());
      c->args.push_back(std::move(e));
    }
    return c;
  }

  Result<ExprP> parseMath2() {
    return binaryChain({"*", "/", "//", "%"}, [this] { return parsePow(); });
  }

  Result<ExprP> parsePow() {
    return binaryChain({"**"}, [this] { return parseUnary(true); });
  }

  Result<ExprP> parseUnary(bool withFilter) {
    MAMBA_TRY(enter());
    DepthGuard guard{depth_};
    ExprP e;
    if (isOp("-") || isOp("+")) {
      e = makeExpr(isOp("-") ? EK::Neg : EK::Pos, cur().pos);
      next();
      CT_ASSIGN(e->subject, parseUnary(false));
    } else {
      CT_ASSIGN(e, parsePrimary());
    }
    CT_ASSIGN(e, parsePostfix(std::move(e)));
    if (withFilter)
      CT_ASSIGN(e, parseFilterExpr(std::move(e)));
    return e;
  }

  Result<ExprP> parsePrimary() {
    const Token &t = cur();
    ExprP e;
    switch (t.kind) {
    case Tok::Name:
      e = makeExpr(EK::Const, t.pos);
      if (t.text == "true" || t.text == "True") {
        e->value = Value::boolean(true);
      } else if (t.text == "false" || t.text == "False") {
        e->value = Value::boolean(false);
      } else if (t.text == "none" || t.text == "None") {
        e->value = Value::none();
      } else {
        e->kind = EK::Name;
        e->name = t.text;
      }
      next();
      return e;
    case Tok::String: {
      e = makeExpr(EK::Const, t.pos);
      std::string text;
      while (cur().kind == Tok::String) {
        text += cur().text;
        next();
      }
      e->value = Value::string(std::move(text));
      return e;
    }
    case Tok::Int:
      e = makeExpr(EK::Const, t.pos);
      e->value = Value::integer(t.i);
      next();
      return e;
    case Tok::Float:
      e = makeExpr(EK::Const, t.pos);
      e->value = Value::real(t.f);
      next();
      return e;
    case Tok::Op:
      if (t.text == "(") {
        next();
        CT_ASSIGN(e, parseTuple(true, true));
        MAMBA_TRY(expectOp(")"));
        return e;
      }
      if (t.text == "[") {
        e = makeExpr(EK::List, t.pos);
        next();
        while (!isOp("]")) {
          if (!e->args.empty()) {
            MAMBA_TRY(expectOp(","));
            if (isOp("]"))
              break;
          }
          ExprP item;
          CT_ASSIGN(item, parseExpression(true));
          e->args.push_back(std::move(item));
        }
        next();
        return e;
      }
      if (t.text == "{") {
        e = makeExpr(EK::Dict, t.pos);
        next();
        while (!isOp("}")) {
          if (!e->args.empty()) {
            MAMBA_TRY(expectOp(","));
            if (isOp("}"))
              break;
          }
          ExprP key, value;
          CT_ASSIGN(key, parseExpression(true));
          MAMBA_TRY(expectOp(":"));
          CT_ASSIGN(value, parseExpression(true));
          e->args.push_back(std::move(key));
          e->args.push_back(std::move(value));
        }
        next();
        return e;
      }
      break;
    default:
      break;
    }
    return unexpected("an expression");
  }

  Result<ExprP> parsePostfix(ExprP e) {
    while (true) {
      if (isOp(".")) {
        const size_t pos = cur().pos;
        next();
        if (cur().kind == Tok::Name) {
          ExprP g = makeExpr(EK::Getattr, cur().pos);
          g->name = cur().text;
          g->subject = std::move(e);
          e = std::move(g);
          next();
        } else if (cur().kind == Tok::Int) {
          ExprP g = makeExpr(EK::Getitem, pos);
          ExprP key = makeExpr(EK::Const, cur().pos);
          key->value = Value::integer(cur().i);
          g->subject = std::move(e);
          g->args.push_back(std::move(key));
          e = std::move(g);
          next();
        } else {
          return unexpected("a name or a number after '.'");
        }
      } else if (isOp("[")) {
        CT_ASSIGN(e, parseSubscript(std::move(e)));
      } else if (isOp("(")) {
        CT_ASSIGN(e, parseCall(std::move(e)));
      } else {
        return e;
      }
    }
  }

  Result<ExprP> parseSubscript(ExprP subject) {
    const size_t pos = cur().pos;
    next();
    // parse_subscribed: an expression, or a slice a:b:c with parts left out.
    ExprP parts[3];
    bool slice = false;
    if (!isOp(":"))
      CT_ASSIGN(parts[0], parseExpression(true));
    if (skipOp(":")) {
      slice = true;
      if (!isOp(":") && !isOp("]") && !isOp(","))
        CT_ASSIGN(parts[1], parseExpression(true));
      if (skipOp(":"))
        if (!isOp("]") && !isOp(","))
          CT_ASSIGN(parts[2], parseExpression(true));
    }
    if (isOp(","))
      return p_.error(cur().pos, "subscripts with commas (tuple keys) are "
                                 "not supported");
    MAMBA_TRY(expectOp("]"));
    ExprP e = makeExpr(slice ? EK::Slice : EK::Getitem, pos);
    e->subject = std::move(subject);
    if (slice) {
      for (ExprP &part : parts)
        e->args.push_back(std::move(part));
    } else {
      e->args.push_back(std::move(parts[0]));
    }
    return e;
  }

  /// parse_call_args: positional arguments, then name=value ones.
  Status parseArgs(Expr &into) {
    MAMBA_TRY(expectOp("("));
    bool first = true;
    while (!isOp(")")) {
      if (!first) {
        MAMBA_TRY(expectOp(","));
        if (isOp(")"))
          break;
      }
      first = false;
      if (isOp("*") || isOp("**"))
        return p_.error(cur().pos, "*args and **kwargs are not supported");
      if (cur().kind == Tok::Name && look().kind == Tok::Op &&
          look().text == "=") {
        std::string key = cur().text;
        next();
        next();
        ExprP value;
        CT_ASSIGN(value, parseExpression(true));
        into.kwargs.emplace_back(key, std::move(value));
      } else {
        if (!into.kwargs.empty())
          return p_.error(cur().pos,
                          "a positional argument follows a keyword argument");
        ExprP value;
        CT_ASSIGN(value, parseExpression(true));
        into.args.push_back(std::move(value));
      }
    }
    next();
    return Status::success();
  }

  Result<ExprP> parseCall(ExprP callee) {
    // Errors of the call point at the name called.
    ExprP c = makeExpr(EK::Call,
                       callee->kind == EK::Name || callee->kind == EK::Getattr
                           ? callee->pos
                           : cur().pos);
    c->subject = std::move(callee);
    MAMBA_TRY(parseArgs(*c));
    return c;
  }

  Result<ExprP> parseFilterExpr(ExprP e) {
    while (true) {
      if (isOp("|")) {
        CT_ASSIGN(e, parseFilter(std::move(e), false));
      } else if (isName("is")) {
        CT_ASSIGN(e, parseTest(std::move(e)));
      } else if (isOp("(")) {
        CT_ASSIGN(e, parseCall(std::move(e)));
      } else {
        return e;
      }
    }
  }

  Result<std::string> dottedName() {
    std::string n;
    CT_ASSIGN(n, name());
    while (isOp(".")) {
      next();
      std::string part;
      CT_ASSIGN(part, name());
      n += "." + part;
    }
    return n;
  }

  Result<ExprP> parseFilter(ExprP subject, bool startInline) {
    while (isOp("|") || startInline) {
      if (!startInline)
        next();
      startInline = false;
      const size_t pos = cur().pos;
      ExprP f = makeExpr(EK::Filter, pos);
      CT_ASSIGN(f->name, dottedName());
      auto it = filterTable().find(f->name);
      if (it == filterTable().end())
        return p_.error(pos, "unknown filter '" + f->name + "'");
      f->filter = it->second;
      f->subject = std::move(subject);
      if (isOp("("))
        MAMBA_TRY(parseArgs(*f));
      subject = std::move(f);
    }
    return subject;
  }

  Result<ExprP> parseTest(ExprP subject) {
    next(); // 'is'
    ExprP t = makeExpr(EK::Test, cur().pos);
    t->negated = skipName("not");
    const size_t pos = cur().pos;
    CT_ASSIGN(t->name, dottedName());
    auto it = testTable().find(t->name);
    if (it == testTable().end())
      return p_.error(pos, "unknown test '" + t->name + "'");
    t->test = it->second;
    t->subject = std::move(subject);
    const Token &c = cur();
    if (isOp("(")) {
      MAMBA_TRY(parseArgs(*t));
    } else if ((c.kind == Tok::Name || c.kind == Tok::String ||
                c.kind == Tok::Int || c.kind == Tok::Float || isOp("[") ||
                isOp("{")) &&
               !isName("else") && !isName("or") && !isName("and")) {
      // A single argument without parentheses: `x is divisibleby 3`.
      if (isName("is"))
        return p_.error(c.pos, "tests cannot be chained with 'is'");
      ExprP arg;
      CT_ASSIGN(arg, parsePrimary());
      CT_ASSIGN(arg, parsePostfix(std::move(arg)));
      t->args.push_back(std::move(arg));
    }
    return t;
  }
};

//===----------------------------------------------------------------------===//
// The interpreter (runtime.py, and Python's semantics of values)
//===----------------------------------------------------------------------===//

class Renderer {
public:
  Renderer(const Program &program, const ChatTemplateLimits &limits)
      : p_(program), lim_(limits) {}

  ~Renderer() {
    // Macros hold the frame they were defined in, and frames hold macros:
    // break those cycles.
    for (const std::weak_ptr<Frame> &w : closures_)
      if (FrameP f = w.lock())
        f->vars.clear();
  }

  Result<std::string> run(const ojson &context);

  // Errors and limits.
  Error fail(size_t pos, const std::string &message) const {
    return p_.error(pos, message);
  }
  Error undefinedError(const Value &v, size_t pos) const {
    return fail(pos, *v.s);
  }
  Status charge(size_t pos, size_t bytes) {
    work_ += bytes;
    if (work_ > lim_.maxWorkBytes)
      return fail(pos, "the template built more than " +
                           std::to_string(lim_.maxWorkBytes) +
                           " bytes of values (a loop that grows a string "
                           "without end?)");
    return Status::success();
  }
  Status tick(size_t pos) {
    if (++iterations_ > lim_.maxIterations)
      return fail(pos, "the template ran more than " +
                           std::to_string(lim_.maxIterations) +
                           " loop iterations and macro calls (a loop "
                           "without end?)");
    return Status::success();
  }
  size_t maxBytes() const { return lim_.maxOutputBytes; }
  Result<Value> str(size_t pos, std::string s) {
    if (s.size() > lim_.maxOutputBytes)
      return fail(pos, "a string of " + std::to_string(s.size()) +
                           " bytes is longer than the limit of " +
                           std::to_string(lim_.maxOutputBytes));
    MAMBA_TRY(charge(pos, s.size()));
    return Value::string(std::move(s));
  }
  Result<Value> list(size_t pos, ValueList items, bool tuple = false) {
    MAMBA_TRY(charge(pos, items.size() * sizeof(Value)));
    Value v = Value::makeList(std::move(items), tuple);
    if (v.nest > lim_.maxDepth)
      return fail(pos, "values nest deeper than " +
                           std::to_string(lim_.maxDepth) + " levels");
    return v;
  }
  Result<Value> dict(size_t pos, std::shared_ptr<struct Dict> d) {
    MAMBA_TRY(charge(pos, d->items.size() * (sizeof(Value) + 32)));
    Value v = Value::makeDict(std::move(d));
    if (v.nest > lim_.maxDepth)
      return fail(pos, "values nest deeper than " +
                           std::to_string(lim_.maxDepth) + " levels");
    return v;
  }
  Result<Value>
  function(std::string name,
           std::function<Result<Value>(Renderer &, Args &, size_t)> fn) {
    auto c = std::make_shared<Callable>();
    c->name = std::move(name);
    c->builtin = std::move(fn);
    Value v;
    v.kind = Value::Function;
    v.fn = std::move(c);
    return v;
  }

  // Conversions.
  Result<std::string> toStr(const Value &v, size_t pos);
  Result<std::string> repr(const Value &v, size_t pos);
  Status writeStr(std::string &out, const Value &v, bool repr, size_t pos);
  struct JsonStyle {
    std::optional<std::string> indent;
    std::string itemSep = ", ", keySep = ": ";
    bool sortKeys = false, ensureAscii = false;
  };
  Status writeJson(std::string &out, const Value &v, const JsonStyle &style,
                   int level, size_t pos);
  Result<std::shared_ptr<const ValueList>> iterate(const Value &v, size_t pos);

  // Operations.
  Result<Value> eval(const Expr &e, const FrameP &f);
  Result<Value> getAttr(const Value &v, const std::string &name, size_t pos);
  Result<Value> getItem(const Value &v, const Value &key, size_t pos);
  Result<Value> slice(const Value &v, const Value *parts, size_t pos);
  [[gnu::noinline]] Result<Value> call(const Value &callee, Args &args,
                                       size_t pos);
  Result<Value> binary(const std::string &op, const Value &a, const Value &b,
                       size_t pos);
  Result<bool> compare(const std::string &op, const Value &a, const Value &b,
                       size_t pos);
  Result<bool> contains(const Value &container, const Value &item, size_t pos);
  [[gnu::noinline]] Result<Value> callMacro(const Callable &c, Args &args,
                                            size_t pos);
  /// Applies a test by name (select, selectattr...).
  Result<bool> applyTest(const std::string &name, const Value &v, Args &args,
                         size_t pos);

  // Statements.
  Status exec(const Body &body, const FrameP &f);
  Status execStmt(const Stmt &s, const FrameP &f);
  Status assign(const Target &t, const Value &v, const FrameP &f, size_t pos);
  Status emit(size_t pos, std::string_view text) {
    out_->append(text.data(), text.size());
    if (out_->size() > lim_.maxOutputBytes)
      return fail(pos, "the output is longer than the limit of " +
                           std::to_string(lim_.maxOutputBytes) + " bytes");
    return charge(pos, text.size());
  }
  /// The text `body` renders in a new frame under `f`.
  Result<std::string> capture(const Body &body, const FrameP &f) {
    std::string buffer;
    std::string *saved = out_;
    out_ = &buffer;
    auto frame = std::make_shared<Frame>();
    frame->parent = f;
    Status s = exec(body, frame);
    out_ = saved;
    MAMBA_TRY(s);
    return buffer;
  }

  std::time_t now() const { return lim_.now ? lim_.now : std::time(nullptr); }

private:
  struct DepthGuard {
    int &depth;
    ~DepthGuard() { --depth; }
  };
  Status enter(size_t pos) {
    if (++depth_ > lim_.maxDepth)
      return fail(pos, "the template nests deeper than " +
                           std::to_string(lim_.maxDepth) +
                           " levels (a macro that calls itself without "
                           "end?)");
    return Status::success();
  }
  Result<Value> fromJson(const ojson &j, int depth);
  Result<Value> evalUncounted(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalList(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalDict(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalGetattr(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalGetitem(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalSlice(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalCall(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalUnary(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalNot(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalBinary(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalConcat(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalCompare(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalLogic(const Expr &e, const FrameP &f);
  [[gnu::noinline]] Result<Value> evalCond(const Expr &e, const FrameP &f);
  Result<Value> loopAttr(const Value &loop, const std::string &name,
                         size_t pos);
  [[gnu::noinline]] Status execFor(const Stmt &s, const FrameP &f);
  [[gnu::noinline]] Status execPrint(const Stmt &s, const FrameP &f);
  [[gnu::noinline]] Status execIf(const Stmt &s, const FrameP &f);
  [[gnu::noinline]] Status execSet(const Stmt &s, const FrameP &f);
  [[gnu::noinline]] Status execBlock(const Stmt &s, const FrameP &f);
  [[gnu::noinline]] Status execMacro(const Stmt &s, const FrameP &f);
  [[gnu::noinline]] Status execWith(const Stmt &s, const FrameP &f);

  const Program &p_;
  const ChatTemplateLimits &lim_;
  std::string *out_ = nullptr;
  int depth_ = 0;
  int64_t iterations_ = 0;
  size_t work_ = 0;
  enum Jump { NoJump, BreakJump, ContinueJump } jump_ = NoJump;
  const Value *placeholder_ = nullptr;
  std::vector<std::weak_ptr<Frame>> closures_;

public:
  FrameP globals_;
};

/// Binds call arguments to parameter names, Python style. `what` names the
/// callee in messages ("filter 'join'").
Result<std::vector<std::optional<Value>>>
bindArgs(Renderer &r, size_t pos, const std::string &what, Args &a,
         std::initializer_list<const char *> names, size_t required = 0) {
  std::vector<std::optional<Value>> out(names.size());
  if (a.pos.size() > names.size())
    return r.fail(pos, what + " takes at most " + std::to_string(names.size()) +
                           " argument" + (names.size() == 1 ? "" : "s") + " (" +
                           std::to_string(a.pos.size()) + " given)");
  for (size_t k = 0; k < a.pos.size(); ++k)
    out[k] = a.pos[k];
  for (auto &[key, value] : a.kw) {
    size_t k = 0;
    for (const char *n : names) {
      if (key == n)
        break;
      ++k;
    }
    if (k == names.size())
      return r.fail(pos,
                    what + " got an unexpected keyword argument '" + key + "'");
    if (out[k])
      return r.fail(pos,
                    what + " got multiple values for argument '" + key + "'");
    out[k] = value;
  }
  for (size_t k = 0; k < required; ++k)
    if (!out[k])
      return r.fail(pos, what + " is missing its argument '" +
                             std::string(names.begin()[k]) + "'");
  return out;
}

//===----------------------------------------------------------------------===//
// Conversions: str(), repr(), json.dumps, iteration
//===----------------------------------------------------------------------===//

Status Renderer::writeStr(std::string &out, const Value &v, bool asRepr,
                          size_t pos) {
  if (out.size() > lim_.maxOutputBytes)
    return Status::success();
  switch (v.kind) {
  case Value::Undefined:
    if (asRepr)
      out += "Undefined";
    break;
  case Value::None:
    out += "None";
    break;
  case Value::Bool:
    out += v.b ? "True" : "False";
    break;
  case Value::Int:
    out += std::to_string(v.i);
    break;
  case Value::Float:
    out += pyFloat(v.f);
    break;
  case Value::String:
    if (asRepr)
      appendPyRepr(out, v.str());
    else
      out += v.str();
    break;
  case Value::List:
    out += v.tuple ? '(' : '[';
    for (size_t k = 0; k < v.list->size(); ++k) {
      if (k)
        out += ", ";
      MAMBA_TRY(writeStr(out, (*v.list)[k], true, pos));
      if (out.size() > lim_.maxOutputBytes)
        return Status::success();
    }
    if (v.tuple && v.list->size() == 1)
      out += ',';
    out += v.tuple ? ')' : ']';
    break;
  case Value::Dict:
  case Value::Namespace: {
    if (v.kind == Value::Namespace)
      out += "<Namespace ";
    out += '{';
    bool first = true;
    for (const auto &[key, x] : v.dict->items) {
      if (!first)
        out += ", ";
      first = false;
      appendPyRepr(out, key);
      out += ": ";
      MAMBA_TRY(writeStr(out, x, true, pos));
      if (out.size() > lim_.maxOutputBytes)
        return Status::success();
    }
    out += '}';
    if (v.kind == Value::Namespace)
      out += '>';
    break;
  }
  case Value::Function:
    out += v.fn->macro ? "<Macro '" + v.fn->name + "'>"
                       : "<function " + v.fn->name + ">";
    break;
  case Value::Loop:
    out += "<LoopContext " + std::to_string(v.loop->index + 1) + "/" +
           std::to_string(v.loop->items->size()) + ">";
    break;
  }
  return Status::success();
}

Result<std::string> Renderer::toStr(const Value &v, size_t pos) {
  if (v.kind == Value::String)
    return v.str();
  std::string out;
  MAMBA_TRY(writeStr(out, v, false, pos));
  if (out.size() > lim_.maxOutputBytes)
    return fail(pos, "a value's text is longer than the limit of " +
                         std::to_string(lim_.maxOutputBytes) + " bytes");
  MAMBA_TRY(charge(pos, out.size()));
  return out;
}

Result<std::string> Renderer::repr(const Value &v, size_t pos) {
  std::string out;
  MAMBA_TRY(writeStr(out, v, true, pos));
  if (out.size() > lim_.maxOutputBytes)
    return fail(pos, "a value's text is longer than the limit of " +
                         std::to_string(lim_.maxOutputBytes) + " bytes");
  MAMBA_TRY(charge(pos, out.size()));
  return out;
}

Status Renderer::writeJson(std::string &out, const Value &v,
                           const JsonStyle &style, int level, size_t pos) {
  if (out.size() > lim_.maxOutputBytes)
    return Status::success();
  auto newline = [&](int lvl) {
    if (!style.indent)
      return;
    out += '\n';
    for (int k = 0; k < lvl; ++k)
      out += *style.indent;
  };
  switch (v.kind) {
  case Value::None:
    out += "null";
    return Status::success();
  case Value::Bool:
    out += v.b ? "true" : "false";
    return Status::success();
  case Value::Int:
    out += std::to_string(v.i);
    return Status::success();
  case Value::Float:
    out += std::isnan(v.f)   ? "NaN"
           : std::isinf(v.f) ? (v.f > 0 ? "Infinity" : "-Infinity")
                             : pyFloat(v.f);
    return Status::success();
  case Value::String:
    appendJsonString(out, v.str(), style.ensureAscii);
    return Status::success();
  case Value::List:
    if (v.list->empty()) {
      out += "[]";
      return Status::success();
    }
    out += '[';
    for (size_t k = 0; k < v.list->size(); ++k) {
      if (k)
        out += style.itemSep;
      newline(level + 1);
      MAMBA_TRY(writeJson(out, (*v.list)[k], style, level + 1, pos));
      if (out.size() > lim_.maxOutputBytes)
        return Status::success();
    }
    newline(level);
    out += ']';
    return Status::success();
  case Value::Dict: {
    if (v.dict->items.empty()) {
      out += "{}";
      return Status::success();
    }
    std::vector<const std::pair<std::string, Value> *> items;
    for (const auto &item : v.dict->items)
      items.push_back(&item);
    if (style.sortKeys)
      std::sort(items.begin(), items.end(),
                [](auto *a, auto *b) { return a->first < b->first; });
    out += '{';
    for (size_t k = 0; k < items.size(); ++k) {
      if (k)
        out += style.itemSep;
      newline(level + 1);
      appendJsonString(out, items[k]->first, style.ensureAscii);
      out += style.keySep;
      MAMBA_TRY(writeJson(out, items[k]->second, style, level + 1, pos));
      if (out.size() > lim_.maxOutputBytes)
        return Status::success();
    }
    newline(level);
    out += '}';
    return Status::success();
  }
  default:
    return fail(pos, std::string("Object of type ") + typeName(v) +
                         " is not JSON serializable");
  }
}

/// The items a for loop or a filter walks: a list's items, a dict's keys, a
/// string's characters; nothing for undefined.
Result<std::shared_ptr<const ValueList>> Renderer::iterate(const Value &v,
                                                           size_t pos) {
  switch (v.kind) {
  case Value::List:
    return v.list;
  case Value::Undefined:
    return std::make_shared<const ValueList>();
  case Value::Dict: {
    ValueList keys;
    for (const auto &item : v.dict->items)
      keys.push_back(Value::string(item.first));
    MAMBA_TRY(charge(pos, keys.size() * sizeof(Value)));
    return std::make_shared<const ValueList>(std::move(keys));
  }
  case Value::String: {
    ValueList chars;
    const std::string &s = v.str();
    for (size_t k = 0; k < s.size();) {
      size_t len = nextUtf8Unit(s, k).length;
      chars.push_back(Value::string(s.substr(k, len)));
      k += len;
    }
    MAMBA_TRY(charge(pos, chars.size() * (sizeof(Value) + 40)));
    return std::make_shared<const ValueList>(std::move(chars));
  }
  default:
    return fail(pos,
                std::string("'") + typeName(v) + "' object is not iterable");
  }
}

Result<Value> Renderer::fromJson(const ojson &j, int depth) {
  if (depth > lim_.maxDepth)
    return Error(p_.origin + ": the variables nest deeper than " +
                 std::to_string(lim_.maxDepth) + " levels");
  switch (j.type()) {
  case ojson::value_t::null:
    return Value::none();
  case ojson::value_t::boolean:
    return Value::boolean(j.get<bool>());
  case ojson::value_t::number_integer:
    return Value::integer(j.get<int64_t>());
  case ojson::value_t::number_unsigned: {
    uint64_t u = j.get<uint64_t>();
    if (u > uint64_t(INT64_MAX))
      return Value::real(double(u));
    return Value::integer(int64_t(u));
  }
  case ojson::value_t::number_float:
    return Value::real(j.get<double>());
  case ojson::value_t::string:
    return Value::string(j.get_ref<const std::string &>());
  case ojson::value_t::array: {
    ValueList items;
    items.reserve(j.size());
    for (const ojson &x : j) {
      Value v;
      CT_ASSIGN(v, fromJson(x, depth + 1));
      items.push_back(std::move(v));
    }
    return Value::makeList(std::move(items));
  }
  case ojson::value_t::object: {
    auto d = std::make_shared<struct Dict>();
    for (auto it = j.begin(); it != j.end(); ++it) {
      Value v;
      CT_ASSIGN(v, fromJson(it.value(), depth + 1));
      d->set(it.key(), std::move(v));
    }
    return Value::makeDict(std::move(d));
  }
  default:
    return Error(p_.origin + ": binary values cannot be template variables");
  }
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Result<Value> Renderer::eval(const Expr &e, const FrameP &f) {
  MAMBA_TRY(enter(e.pos));
  DepthGuard guard{depth_};
  return evalUncounted(e, f);
}

/// Each kind of expression has its own function, so that the frames of the
/// recursion stay small (deep templates under AddressSanitizer).
Result<Value> Renderer::evalUncounted(const Expr &e, const FrameP &f) {
  switch (e.kind) {
  case EK::Const:
    return e.value;
  case EK::Placeholder:
    return *placeholder_;
  case EK::Name: {
    if (const Value *v = f->lookup(e.name))
      return *v;
    return Value::undefined("'" + e.name + "' is undefined");
  }
  case EK::List:
  case EK::Tuple:
    return evalList(e, f);
  case EK::Dict:
    return evalDict(e, f);
  case EK::Getattr:
    return evalGetattr(e, f);
  case EK::Getitem:
    return evalGetitem(e, f);
  case EK::Slice:
    return evalSlice(e, f);
  case EK::Call:
  case EK::Filter:
  case EK::Test:
    return evalCall(e, f);
  case EK::Neg:
  case EK::Pos:
    return evalUnary(e, f);
  case EK::Not:
    return evalNot(e, f);
  case EK::Binary:
    return evalBinary(e, f);
  case EK::Concat:
    return evalConcat(e, f);
  case EK::Compare:
    return evalCompare(e, f);
  case EK::And:
  case EK::Or:
    return evalLogic(e, f);
  case EK::Cond:
    return evalCond(e, f);
  }
  return fail(e.pos, "unknown expression");
}

Result<Value> Renderer::evalList(const Expr &e, const FrameP &f) {
  ValueList items;
  for (const ExprP &a : e.args) {
    Value v;
    CT_ASSIGN(v, eval(*a, f));
    items.push_back(std::move(v));
  }
  return list(e.pos, std::move(items), e.kind == EK::Tuple);
}

Result<Value> Renderer::evalDict(const Expr &e, const FrameP &f) {
  auto d = std::make_shared<struct Dict>();
  for (size_t k = 0; k + 1 < e.args.size(); k += 2) {
    Value key, value;
    CT_ASSIGN(key, eval(*e.args[k], f));
    CT_ASSIGN(value, eval(*e.args[k + 1], f));
    if (key.kind != Value::String)
      return fail(e.args[k]->pos, std::string("dict keys must be strings "
                                              "here, not ") +
                                      typeName(key));
    d->set(key.str(), std::move(value));
  }
  return dict(e.pos, std::move(d));
}

// Using an undefined value is an error at the expression that made it.
Result<Value> Renderer::evalGetattr(const Expr &e, const FrameP &f) {
  Value v;
  CT_ASSIGN(v, eval(*e.subject, f));
  if (v.kind == Value::Undefined)
    return undefinedError(v, e.subject->pos);
  return getAttr(v, e.name, e.pos);
}

Result<Value> Renderer::evalGetitem(const Expr &e, const FrameP &f) {
  Value v, key;
  CT_ASSIGN(v, eval(*e.subject, f));
  if (v.kind == Value::Undefined)
    return undefinedError(v, e.subject->pos);
  CT_ASSIGN(key, eval(*e.args[0], f));
  return getItem(v, key, e.pos);
}

Result<Value> Renderer::evalSlice(const Expr &e, const FrameP &f) {
  Value v, parts[3];
  CT_ASSIGN(v, eval(*e.subject, f));
  if (v.kind == Value::Undefined)
    return undefinedError(v, e.subject->pos);
  for (int k = 0; k < 3; ++k) {
    if (e.args[size_t(k)])
      CT_ASSIGN(parts[k], eval(*e.args[size_t(k)], f));
    else
      parts[k] = Value::none();
  }
  return slice(v, parts, e.pos);
}

Result<Value> Renderer::evalCall(const Expr &e, const FrameP &f) {
  Value subject;
  if (e.subject)
    CT_ASSIGN(subject, eval(*e.subject, f));
  Args args;
  for (const ExprP &a : e.args) {
    Value v;
    CT_ASSIGN(v, eval(*a, f));
    args.pos.push_back(std::move(v));
  }
  for (const auto &[key, a] : e.kwargs) {
    Value v;
    CT_ASSIGN(v, eval(*a, f));
    args.kw.emplace_back(key, std::move(v));
  }
  if (e.kind == EK::Call)
    return call(subject, args, e.pos);
  if (e.kind == EK::Filter)
    return e.filter(*this, subject, args, e.pos);
  bool result;
  CT_ASSIGN(result, e.test(*this, subject, args, e.pos));
  return Value::boolean(result != e.negated);
}

Result<Value> Renderer::evalUnary(const Expr &e, const FrameP &f) {
  Value v;
  CT_ASSIGN(v, eval(*e.subject, f));
  if (v.kind == Value::Undefined)
    return undefinedError(v, e.pos);
  if (!v.isNumber())
    return fail(e.pos, std::string("bad operand type for unary ") +
                           (e.kind == EK::Neg ? "-" : "+") + ": '" +
                           typeName(v) + "'");
  if (e.kind == EK::Pos)
    return v.kind == Value::Float ? v : Value::integer(v.asInt());
  if (v.kind == Value::Float)
    return Value::real(-v.f);
  if (v.asInt() == INT64_MIN)
    return fail(e.pos, "integer overflow (past 64 bits)");
  return Value::integer(-v.asInt());
}

Result<Value> Renderer::evalNot(const Expr &e, const FrameP &f) {
  Value v;
  CT_ASSIGN(v, eval(*e.subject, f));
  return Value::boolean(!truthy(v));
}

Result<Value> Renderer::evalBinary(const Expr &e, const FrameP &f) {
  Value a, b;
  CT_ASSIGN(a, eval(*e.args[0], f));
  CT_ASSIGN(b, eval(*e.args[1], f));
  if (a.kind == Value::Undefined)
    return undefinedError(a, e.args[0]->pos);
  if (b.kind == Value::Undefined)
    return undefinedError(b, e.args[1]->pos);
  return binary(e.name, a, b, e.pos);
}

Result<Value> Renderer::evalConcat(const Expr &e, const FrameP &f) {
  std::string out;
  for (const ExprP &a : e.args) {
    Value v;
    CT_ASSIGN(v, eval(*a, f));
    std::string s;
    CT_ASSIGN(s, toStr(v, a->pos));
    out += s;
    if (out.size() > lim_.maxOutputBytes)
      break;
  }
  return str(e.pos, std::move(out));
}

Result<Value> Renderer::evalCompare(const Expr &e, const FrameP &f) {
  Value left;
  CT_ASSIGN(left, eval(*e.args[0], f));
  for (size_t k = 0; k < e.ops.size(); ++k) {
    Value right;
    CT_ASSIGN(right, eval(*e.args[k + 1], f));
    bool ok;
    if (e.ops[k] == "in" || e.ops[k] == "not in") {
      CT_ASSIGN(ok, contains(right, left, e.args[k + 1]->pos));
      ok = ok == (e.ops[k] == "in");
    } else {
      CT_ASSIGN(ok, compare(e.ops[k], left, right, e.args[k + 1]->pos));
    }
    if (!ok)
      return Value::boolean(false);
    left = std::move(right);
  }
  return Value::boolean(true);
}

Result<Value> Renderer::evalLogic(const Expr &e, const FrameP &f) {
  Value left;
  CT_ASSIGN(left, eval(*e.args[0], f));
  if (truthy(left) == (e.kind == EK::Or))
    return left;
  return eval(*e.args[1], f);
}

Result<Value> Renderer::evalCond(const Expr &e, const FrameP &f) {
  Value test;
  CT_ASSIGN(test, eval(*e.args[1], f));
  if (truthy(test))
    return eval(*e.args[0], f);
  if (e.args[2])
    return eval(*e.args[2], f);
  return Value::undefined("the inline if-expression at " + p_.where(e.pos) +
                          " evaluated to false and has no else");
}

const char *const kDictMethods[] = {"items", "keys", "values", "get"};
const char *const kStrMethods[] = {
    "strip",      "lstrip",  "rstrip", "startswith", "endswith",
    "split",      "rsplit",  "upper",  "lower",      "title",
    "capitalize", "replace", "find",   "count",      "join",
};

Result<Value> strMethod(Renderer &r, const std::string &name,
                        const std::string &self, Args &a, size_t pos);
Result<Value> dictMethod(Renderer &r, const std::string &name,
                         const Value &self, Args &a, size_t pos);

/// Jinja's getattr (`x.name`): Python's attribute first (methods), then the
/// item.
Result<Value> Renderer::getAttr(const Value &v, const std::string &name,
                                size_t pos) {
  auto noAttribute = [&](const char *type) {
    return Value::undefined(std::string("'") + type + "' has no attribute '" +
                            name + "'");
  };
  switch (v.kind) {
  case Value::Undefined:
    return undefinedError(v, pos);
  case Value::Dict:
    for (const char *m : kDictMethods)
      if (name == m) {
        Value self = v;
        Value method;
        CT_ASSIGN(method,
                  function("dict." + name,
                           [name, self](Renderer &r, Args &a, size_t p) {
                             return dictMethod(r, name, self, a, p);
                           }));
        method.holdsNamespace = v.holdsNamespace;
        return method;
      }
    if (const Value *x = v.dict->find(name))
      return *x;
    return noAttribute("dict object");
  case Value::Namespace:
    if (const Value *x = v.dict->find(name))
      return *x;
    return noAttribute("Namespace object");
  case Value::String:
    for (const char *m : kStrMethods)
      if (name == m) {
        std::shared_ptr<const std::string> self = v.s;
        return function("str." + name,
                        [name, self](Renderer &r, Args &a, size_t p) {
                          return strMethod(r, name, *self, a, p);
                        });
      }
    return noAttribute("str object");
  case Value::Loop:
    return loopAttr(v, name, pos);
  case Value::None:
    return noAttribute("None");
  default:
    return noAttribute((std::string(typeName(v)) + " object").c_str());
  }
}

/// Jinja's getitem (`x[key]`): the item first, then (for a string key) the
/// attribute.
Result<Value> Renderer::getItem(const Value &v, const Value &key, size_t pos) {
  if (v.kind == Value::Undefined)
    return undefinedError(v, pos);
  auto noElement = [&]() -> Result<Value> {
    std::string k;
    CT_ASSIGN(k, repr(key, pos));
    std::string type =
        v.kind == Value::None ? "None" : std::string(typeName(v)) + " object";
    return Value::undefined(type + " has no element " + k);
  };
  if (v.kind == Value::Dict && key.kind == Value::String)
    if (const Value *x = v.dict->find(key.str()))
      return *x;
  if ((v.kind == Value::List || v.kind == Value::String) && key.isIntLike()) {
    int64_t k = key.asInt();
    if (v.kind == Value::List) {
      int64_t n = int64_t(v.list->size());
      if (k < 0)
        k += n;
      if (k < 0 || k >= n)
        return noElement();
      return (*v.list)[size_t(k)];
    }
    const std::string &s = v.str();
    if (isAscii(s)) {
      int64_t n = int64_t(s.size());
      if (k < 0)
        k += n;
      if (k < 0 || k >= n)
        return noElement();
      return Value::string(s.substr(size_t(k), 1));
    }
    std::u32string u = decodeUtf8(s);
    int64_t n = int64_t(u.size());
    if (k < 0)
      k += n;
    if (k < 0 || k >= n)
      return noElement();
    return Value::string(encodeUtf8(u.substr(size_t(k), 1)));
  }
  if (key.kind == Value::String)
    return getAttr(v, key.str(), pos);
  return noElement();
}

/// Python's slice.indices(): the start, stop and step for a length.
Result<Value> Renderer::slice(const Value &v, const Value *parts, size_t pos) {
  if (v.kind == Value::Undefined)
    return undefinedError(v, pos);
  int64_t given[3] = {0, 0, 1};
  bool present[3];
  for (int k = 0; k < 3; ++k) {
    present[k] = parts[k].kind != Value::None;
    if (present[k] && !parts[k].isIntLike())
      return fail(pos, "slice indices must be integers or none");
    if (present[k])
      given[k] = parts[k].asInt();
  }
  int64_t step = present[2] ? given[2] : 1;
  if (step == 0)
    return fail(pos, "slice step cannot be zero");
  if (v.kind != Value::List && v.kind != Value::String)
    return fail(pos, std::string("a ") + typeName(v) + " cannot be sliced");
  std::u32string u;
  bool ascii = v.kind == Value::String && isAscii(v.str());
  if (v.kind == Value::String && !ascii)
    u = decodeUtf8(v.str());
  int64_t n = v.kind == Value::List ? int64_t(v.list->size())
              : ascii               ? int64_t(v.str().size())
                                    : int64_t(u.size());
  auto adjust = [&](int64_t x, bool has, int64_t def) {
    if (!has)
      return def;
    if (x < 0) {
      x += n;
      if (x < 0)
        x = step < 0 ? -1 : 0;
    } else if (x >= n) {
      x = step < 0 ? n - 1 : n;
    }
    return x;
  };
  int64_t start = adjust(given[0], present[0], step < 0 ? n - 1 : 0);
  int64_t stop = adjust(given[1], present[1], step < 0 ? -1 : n);
  std::vector<size_t> picks;
  for (int64_t k = start; step > 0 ? k < stop : k > stop;) {
    picks.push_back(size_t(k));
    if (__builtin_add_overflow(k, step, &k))
      break;
  }
  if (v.kind == Value::List) {
    ValueList items;
    for (size_t k : picks)
      items.push_back((*v.list)[k]);
    return list(pos, std::move(items), v.tuple);
  }
  std::string out;
  if (ascii) {
    for (size_t k : picks)
      out += v.str()[k];
  } else {
    std::u32string part;
    for (size_t k : picks)
      part += u[k];
    out = encodeUtf8(part);
  }
  return str(pos, std::move(out));
}

Result<Value> Renderer::call(const Value &callee, Args &args, size_t pos) {
  if (callee.kind == Value::Undefined)
    return undefinedError(callee, pos);
  if (callee.kind != Value::Function)
    return fail(pos, std::string("'") + typeName(callee) +
                         "' object is not callable");
  if (callee.fn->macro)
    return callMacro(*callee.fn, args, pos);
  return callee.fn->builtin(*this, args, pos);
}

Result<Value> Renderer::callMacro(const Callable &c, Args &args, size_t pos) {
  MAMBA_TRY(tick(pos));
  const Stmt &m = *c.macro;
  auto frame = std::make_shared<Frame>();
  frame->parent = c.closure;
  const std::string what = "macro '" + c.name + "'";
  if (args.pos.size() > m.params.size() && !m.usesVarargs)
    return fail(pos, what + " takes at most " +
                         std::to_string(m.params.size()) + " argument" +
                         (m.params.size() == 1 ? "" : "s") + " (" +
                         std::to_string(args.pos.size()) + " given)");
  std::vector<bool> used(args.kw.size(), false);
  for (size_t k = 0; k < m.params.size(); ++k) {
    const std::string &name = m.params[k].first;
    std::optional<Value> value;
    if (k < args.pos.size())
      value = args.pos[k];
    for (size_t j = 0; j < args.kw.size(); ++j)
      if (args.kw[j].first == name) {
        if (value)
          return fail(pos, what + " got multiple values for argument '" + name +
                               "'");
        value = args.kw[j].second;
        used[j] = true;
      }
    if (!value) {
      if (m.params[k].second)
        CT_ASSIGN(value, eval(*m.params[k].second, frame));
      else
        value = Value::undefined("parameter '" + name + "' was not provided");
    }
    frame->vars[name] = std::move(*value);
  }
  if (m.usesVarargs) {
    ValueList rest;
    for (size_t k = m.params.size(); k < args.pos.size(); ++k)
      rest.push_back(args.pos[k]);
    CT_ASSIGN(frame->vars["varargs"], list(pos, std::move(rest), true));
  }
  auto kwargs = std::make_shared<struct Dict>();
  for (size_t j = 0; j < args.kw.size(); ++j)
    if (!used[j]) {
      if (!m.usesKwargs)
        return fail(pos, what + " got an unexpected keyword argument '" +
                             args.kw[j].first + "'");
      kwargs->set(args.kw[j].first, args.kw[j].second);
    }
  if (m.usesKwargs)
    CT_ASSIGN(frame->vars["kwargs"], dict(pos, kwargs));
  std::string text;
  std::string *saved = out_;
  out_ = &text;
  Status s = exec(m.body, frame);
  out_ = saved;
  MAMBA_TRY(s);
  return str(pos, std::move(text));
}

Result<Value> Renderer::loopAttr(const Value &v, const std::string &name,
                                 size_t pos) {
  const LoopState &l = *v.loop;
  int64_t n = int64_t(l.items->size()), k = int64_t(l.index);
  if (name == "index")
    return Value::integer(k + 1);
  if (name == "index0")
    return Value::integer(k);
  if (name == "revindex")
    return Value::integer(n - k);
  if (name == "revindex0")
    return Value::integer(n - k - 1);
  if (name == "first")
    return Value::boolean(k == 0);
  if (name == "last")
    return Value::boolean(k == n - 1);
  if (name == "length")
    return Value::integer(n);
  if (name == "depth")
    return Value::integer(1);
  if (name == "depth0")
    return Value::integer(0);
  if (name == "previtem")
    return k > 0 ? (*l.items)[size_t(k - 1)]
                 : Value::undefined("there is no previous item");
  if (name == "nextitem")
    return k + 1 < n ? (*l.items)[size_t(k + 1)]
                     : Value::undefined("there is no next item");
  if (name == "cycle") {
    std::shared_ptr<LoopState> state = v.loop;
    Value method;
    CT_ASSIGN(
        method,
        function("loop.cycle",
                 [state](Renderer &r, Args &a, size_t p) -> Result<Value> {
                   if (a.pos.empty())
                     return r.fail(p,
                                   "loop.cycle() needs at least one argument");
                   return a.pos[state->index % a.pos.size()];
                 }));
    method.holdsNamespace = v.holdsNamespace;
    return method;
  }
  (void)pos;
  return Value::undefined("'LoopContext object' has no attribute '" + name +
                          "'");
}

//===----------------------------------------------------------------------===//
// Operators
//===----------------------------------------------------------------------===//

bool pyEqual(const Value &a, const Value &b) {
  if (a.isNumber() && b.isNumber()) {
    if (a.isIntLike() && b.isIntLike())
      return a.asInt() == b.asInt();
    return a.asDouble() == b.asDouble();
  }
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case Value::Undefined:
  case Value::None:
    return true;
  case Value::String:
    return a.str() == b.str();
  case Value::List:
    if (a.tuple != b.tuple || a.list->size() != b.list->size())
      return false;
    for (size_t k = 0; k < a.list->size(); ++k)
      if (!pyEqual((*a.list)[k], (*b.list)[k]))
        return false;
    return true;
  case Value::Dict:
    if (a.dict->items.size() != b.dict->items.size())
      return false;
    for (const auto &[key, x] : a.dict->items) {
      const Value *y = b.dict->find(key);
      if (!y || !pyEqual(x, *y))
        return false;
    }
    return true;
  case Value::Namespace:
    return a.dict == b.dict;
  case Value::Function:
    return a.fn == b.fn;
  case Value::Loop:
    return a.loop == b.loop;
  default:
    return false;
  }
}

Result<bool> Renderer::compare(const std::string &op, const Value &a,
                               const Value &b, size_t pos) {
  if (op == "==")
    return pyEqual(a, b);
  if (op == "!=")
    return !pyEqual(a, b);
  if (a.kind == Value::Undefined)
    return undefinedError(a, pos);
  if (b.kind == Value::Undefined)
    return undefinedError(b, pos);
  // -1, 0, 1, or 2 when the types do not order.
  std::function<int(const Value &, const Value &)> order =
      [&](const Value &x, const Value &y) -> int {
    if (x.isNumber() && y.isNumber()) {
      if (x.isIntLike() && y.isIntLike())
        return x.asInt() < y.asInt() ? -1 : x.asInt() > y.asInt();
      double dx = x.asDouble(), dy = y.asDouble();
      if (std::isnan(dx) || std::isnan(dy))
        return 3; // every comparison with NaN is false
      return dx < dy ? -1 : dx > dy;
    }
    if (x.kind == Value::String && y.kind == Value::String) {
      int c = x.str().compare(y.str());
      return c < 0 ? -1 : c > 0;
    }
    if (x.kind == Value::List && y.kind == Value::List && x.tuple == y.tuple) {
      size_t n = std::min(x.list->size(), y.list->size());
      for (size_t k = 0; k < n; ++k)
        if (!pyEqual((*x.list)[k], (*y.list)[k]))
          return order((*x.list)[k], (*y.list)[k]);
      return x.list->size() < y.list->size()   ? -1
             : x.list->size() > y.list->size() ? 1
                                               : 0;
    }
    return 2;
  };
  int c = order(a, b);
  if (c == 2)
    return fail(pos, "'" + op + "' not supported between instances of '" +
                         typeName(a) + "' and '" + typeName(b) + "'");
  if (c == 3)
    return false;
  if (op == "<")
    return c < 0;
  if (op == "<=")
    return c <= 0;
  if (op == ">")
    return c > 0;
  return c >= 0;
}

Result<bool> Renderer::contains(const Value &container, const Value &item,
                                size_t pos) {
  switch (container.kind) {
  case Value::Undefined:
    return false;
  case Value::String:
    if (item.kind != Value::String)
      return fail(pos, std::string("'in <string>' requires string as left "
                                   "operand, not ") +
                           typeName(item));
    return container.str().find(item.str()) != std::string::npos;
  case Value::List:
    for (const Value &x : *container.list)
      if (pyEqual(x, item))
        return true;
    return false;
  case Value::Dict:
    return item.kind == Value::String && container.dict->find(item.str());
  default:
    return fail(pos, std::string("argument of type '") + typeName(container) +
                         "' is not iterable");
  }
}

/// Python's floor division and modulo of doubles (floatobject.c).
void floatDivmod(double x, double y, double &floordiv, double &mod) {
  mod = std::fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0) {
    if ((y < 0) != (mod < 0)) {
      mod += y;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, y);
  }
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5)
      floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, x / y);
  }
}

Result<Value> Renderer::binary(const std::string &op, const Value &a,
                               const Value &b, size_t pos) {
  if (a.kind == Value::Undefined)
    return undefinedError(a, pos);
  if (b.kind == Value::Undefined)
    return undefinedError(b, pos);
  auto unsupported = [&]() {
    return fail(pos, "unsupported operand type(s) for " + op + ": '" +
                         typeName(a) + "' and '" + typeName(b) + "'");
  };
  auto overflow = [&]() {
    return fail(pos, "integer overflow (past 64 bits)");
  };
  if (a.isNumber() && b.isNumber()) {
    bool ints = a.isIntLike() && b.isIntLike();
    int64_t x = a.asInt(), y = b.asInt(), r = 0;
    double dx = a.asDouble(), dy = b.asDouble();
    if (op == "+") {
      if (!ints)
        return Value::real(dx + dy);
      if (__builtin_add_overflow(x, y, &r))
        return overflow();
      return Value::integer(r);
    }
    if (op == "-") {
      if (!ints)
        return Value::real(dx - dy);
      if (__builtin_sub_overflow(x, y, &r))
        return overflow();
      return Value::integer(r);
    }
    if (op == "*") {
      if (!ints)
        return Value::real(dx * dy);
      if (__builtin_mul_overflow(x, y, &r))
        return overflow();
      return Value::integer(r);
    }
    if (op == "/") {
      if (dy == 0)
        return fail(pos, "division by zero");
      return Value::real(dx / dy);
    }
    if (op == "//" || op == "%") {
      if (ints) {
        if (y == 0)
          return fail(pos, "integer division or modulo by zero");
        if (x == INT64_MIN && y == -1)
          return op == "%" ? Value::integer(0) : Result<Value>(overflow());
        int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
          q -= 1;
          m += y;
        }
        return Value::integer(op == "//" ? q : m);
      }
      if (dy == 0)
        return fail(pos, op == "//" ? "float floor division by zero"
                                    : "float modulo");
      double q, m;
      floatDivmod(dx, dy, q, m);
      return Value::real(op == "//" ? q : m);
    }
    if (op == "**") {
      if (ints && y >= 0) {
        int64_t result = 1, base = x;
        for (int64_t e = y; e > 0; e >>= 1) {
          if (e & 1)
            if (__builtin_mul_overflow(result, base, &result))
              return overflow();
          if (e > 1 && __builtin_mul_overflow(base, base, &base))
            return overflow();
        }
        return Value::integer(result);
      }
      if (dx == 0 && dy < 0)
        return fail(pos, "0.0 cannot be raised to a negative power");
      if (dx < 0 && dy != std::floor(dy))
        return fail(pos, "a negative number to a fractional power is "
                         "complex, which is not supported");
      return Value::real(std::pow(dx, dy));
    }
    return unsupported();
  }
  if (op == "+") {
    if (a.kind == Value::String) {
      if (b.kind != Value::String)
        return fail(pos, std::string("can only concatenate str (not \"") +
                             typeName(b) + "\") to str");
      return str(pos, a.str() + b.str());
    }
    if (a.kind == Value::List) {
      if (b.kind != Value::List || b.tuple != a.tuple)
        return fail(pos, std::string("can only concatenate ") + typeName(a) +
                             " (not \"" + typeName(b) + "\") to " +
                             typeName(a));
      ValueList items = *a.list;
      items.insert(items.end(), b.list->begin(), b.list->end());
      return list(pos, std::move(items), a.tuple);
    }
    return unsupported();
  }
  if (op == "*") {
    const Value *seq = &a, *count = &b;
    if (a.isIntLike())
      std::swap(seq, count);
    if (count->isIntLike() &&
        (seq->kind == Value::String || seq->kind == Value::List)) {
      size_t unit =
          seq->kind == Value::String ? seq->str().size() : seq->list->size();
      int64_t n = unit ? std::max<int64_t>(0, count->asInt()) : 0;
      if (unit && uint64_t(n) > lim_.maxOutputBytes / unit)
        return fail(
            pos, "repeating " + std::to_string(unit) +
                     (seq->kind == Value::String ? " bytes" : " items") + " " +
                     std::to_string(n) + " times is past the limit of " +
                     std::to_string(lim_.maxOutputBytes));
      if (seq->kind == Value::String) {
        std::string out;
        out.reserve(unit * size_t(n));
        for (int64_t k = 0; k < n; ++k)
          out += seq->str();
        return str(pos, std::move(out));
      }
      ValueList items;
      for (int64_t k = 0; k < n; ++k)
        items.insert(items.end(), seq->list->begin(), seq->list->end());
      return list(pos, std::move(items), seq->tuple);
    }
    return unsupported();
  }
  if (op == "%" && a.kind == Value::String)
    return fail(pos, "printf-style string formatting ('...' % x) is not "
                     "supported");
  return unsupported();
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

Status Renderer::exec(const Body &body, const FrameP &f) {
  for (const auto &s : body) {
    MAMBA_TRY(execStmt(*s, f));
    if (jump_ != NoJump)
      return Status::success();
  }
  return Status::success();
}

Status Renderer::assign(const Target &t, const Value &v, const FrameP &f,
                        size_t pos) {
  auto one = [&](const Target::Item &item, const Value &x) -> Status {
    if (item.attr.empty()) {
      f->vars[item.name] = x;
      return Status::success();
    }
    const Value *ns = f->lookup(item.name);
    if (!ns || ns->kind != Value::Namespace)
      return fail(item.pos, "cannot assign attribute on non-namespace object");
    if (x.holdsNamespace || x.kind == Value::Namespace)
      return fail(item.pos, "a namespace cannot hold another namespace here");
    if (x.nest >= lim_.maxDepth)
      return fail(item.pos, "values nest deeper than " +
                                std::to_string(lim_.maxDepth) + " levels");
    ns->dict->set(item.attr, x);
    return Status::success();
  };
  if (!t.tuple)
    return one(t.items[0], v);
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, iterate(v, pos));
  if (items->size() < t.items.size())
    return fail(pos, "not enough values to unpack (expected " +
                         std::to_string(t.items.size()) + ", got " +
                         std::to_string(items->size()) + ")");
  if (items->size() > t.items.size())
    return fail(pos, "too many values to unpack (expected " +
                         std::to_string(t.items.size()) + ")");
  for (size_t k = 0; k < t.items.size(); ++k)
    MAMBA_TRY(one(t.items[k], (*items)[k]));
  return Status::success();
}

Status Renderer::execFor(const Stmt &s, const FrameP &f) {
  Value seq;
  CT_ASSIGN(seq, eval(*s.expr, f));
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, iterate(seq, s.expr->pos));
  if (s.cond) {
    ValueList kept;
    for (const Value &item : *items) {
      MAMBA_TRY(tick(s.pos));
      auto frame = std::make_shared<Frame>();
      frame->parent = f;
      MAMBA_TRY(assign(s.target, item, frame, s.pos));
      Value keep;
      CT_ASSIGN(keep, eval(*s.cond, frame));
      if (truthy(keep))
        kept.push_back(item);
    }
    MAMBA_TRY(charge(s.pos, kept.size() * sizeof(Value)));
    items = std::make_shared<const ValueList>(std::move(kept));
  }
  if (items->empty()) {
    auto frame = std::make_shared<Frame>();
    frame->parent = f;
    return exec(s.orelse, frame);
  }
  Value loop;
  loop.kind = Value::Loop;
  loop.loop = std::make_shared<LoopState>();
  loop.loop->items = items;
  for (const Value &item : *items) {
    loop.nest = std::max(loop.nest, item.nest + 1);
    loop.holdsNamespace = loop.holdsNamespace || item.holdsNamespace;
  }
  for (size_t k = 0; k < items->size(); ++k) {
    MAMBA_TRY(tick(s.pos));
    loop.loop->index = k;
    auto frame = std::make_shared<Frame>();
    frame->parent = f;
    MAMBA_TRY(assign(s.target, (*items)[k], frame, s.pos));
    frame->vars["loop"] = loop;
    MAMBA_TRY(exec(s.body, frame));
    if (jump_ == BreakJump) {
      jump_ = NoJump;
      break;
    }
    jump_ = NoJump;
  }
  return Status::success();
}

/// As in eval, the bigger kinds of statement have functions of their own.
Status Renderer::execStmt(const Stmt &s, const FrameP &f) {
  MAMBA_TRY(enter(s.pos));
  DepthGuard guard{depth_};
  switch (s.kind) {
  case SK::Text:
    return emit(s.pos, s.text);
  case SK::Print:
    return execPrint(s, f);
  case SK::If:
    return execIf(s, f);
  case SK::For:
    return execFor(s, f);
  case SK::Set:
    return execSet(s, f);
  case SK::SetBlock:
  case SK::FilterBlock:
    return execBlock(s, f);
  case SK::Macro:
    return execMacro(s, f);
  case SK::Break:
    jump_ = BreakJump;
    return Status::success();
  case SK::Continue:
    jump_ = ContinueJump;
    return Status::success();
  case SK::With:
  case SK::Scope:
    return execWith(s, f);
  }
  return fail(s.pos, "unknown statement");
}

Status Renderer::execPrint(const Stmt &s, const FrameP &f) {
  Value v;
  CT_ASSIGN(v, eval(*s.expr, f));
  if (v.kind == Value::String)
    return emit(s.pos, v.str());
  std::string text;
  CT_ASSIGN(text, toStr(v, s.pos));
  return emit(s.pos, text);
}

Status Renderer::execIf(const Stmt &s, const FrameP &f) {
  for (const auto &[cond, body] : s.branches) {
    Value test;
    CT_ASSIGN(test, eval(*cond, f));
    if (truthy(test))
      return exec(body, f);
  }
  return exec(s.orelse, f);
}

Status Renderer::execSet(const Stmt &s, const FrameP &f) {
  Value v;
  CT_ASSIGN(v, eval(*s.expr, f));
  return assign(s.target, v, f, s.pos);
}

/// {% set x %}...{% endset %} and {% filter %}...{% endfilter %}.
Status Renderer::execBlock(const Stmt &s, const FrameP &f) {
  std::string text;
  CT_ASSIGN(text, capture(s.body, f));
  Value v = Value::string(std::move(text));
  if (s.expr) {
    const Value *saved = placeholder_;
    placeholder_ = &v;
    Result<Value> filtered = eval(*s.expr, f);
    placeholder_ = saved;
    CT_ASSIGN(v, std::move(filtered));
  }
  if (s.kind == SK::SetBlock)
    return assign(s.target, v, f, s.pos);
  std::string out;
  CT_ASSIGN(out, toStr(v, s.pos));
  return emit(s.pos, out);
}

Status Renderer::execMacro(const Stmt &s, const FrameP &f) {
  auto c = std::make_shared<Callable>();
  c->name = s.text;
  c->macro = &s;
  c->closure = f;
  closures_.push_back(f);
  Value v;
  v.kind = Value::Function;
  v.fn = std::move(c);
  f->vars[s.text] = std::move(v);
  return Status::success();
}

/// {% with %} and {% generation %}: a body in a frame of its own.
Status Renderer::execWith(const Stmt &s, const FrameP &f) {
  auto frame = std::make_shared<Frame>();
  frame->parent = f;
  for (const auto &[name, expr] : s.params) {
    Value v;
    CT_ASSIGN(v, eval(*expr, f));
    frame->vars[name] = std::move(v);
  }
  return exec(s.body, frame);
}

//===----------------------------------------------------------------------===//
// Methods of str and dict (Python's)
//===----------------------------------------------------------------------===//

/// Binds the arguments of a builtin to the named parameters into `var`.
#define CT_BIND(var, what, ...)                                                \
  std::vector<std::optional<Value>> var;                                       \
  CT_ASSIGN(var, bindArgs(r, pos, what, a, __VA_ARGS__))

/// A str argument (or none, when `noneOk`) of a builtin.
Result<std::optional<std::string>> strArg(Renderer &r, size_t pos,
                                          const std::optional<Value> &v,
                                          const std::string &what,
                                          bool noneOk) {
  if (!v || (noneOk && v->kind == Value::None))
    return std::optional<std::string>();
  if (v->kind != Value::String)
    return r.fail(pos, what + " expects a string, not " + typeName(*v));
  return std::optional<std::string>(v->str());
}

Result<int64_t> intArg(Renderer &r, size_t pos, const std::optional<Value> &v,
                       const std::string &what, int64_t def) {
  if (!v || v->kind == Value::None)
    return def;
  if (!v->isIntLike())
    return r.fail(pos, what + " expects an integer, not " + typeName(*v));
  return v->asInt();
}

std::string pyStrip(const std::string &s,
                    const std::optional<std::string> &chars, bool left,
                    bool right) {
  std::u32string u = decodeUtf8(s);
  std::u32string set = chars ? decodeUtf8(*chars) : std::u32string();
  auto strip = [&](char32_t c) {
    return chars ? set.find(c) != std::u32string::npos : isPySpace(c);
  };
  size_t b = 0, e = u.size();
  if (left)
    while (b < e && strip(u[b]))
      ++b;
  if (right)
    while (e > b && strip(u[e - 1]))
      --e;
  return encodeUtf8(u.substr(b, e - b));
}

/// Python's str.split / str.rsplit.
std::vector<std::string> pySplit(const std::string &s,
                                 const std::optional<std::string> &sep,
                                 int64_t maxsplit, bool fromRight) {
  std::vector<std::string> parts;
  if (sep) {
    if (!fromRight) {
      size_t start = 0;
      while (maxsplit < 0 || int64_t(parts.size()) < maxsplit) {
        size_t k = s.find(*sep, start);
        if (k == std::string::npos)
          break;
        parts.push_back(s.substr(start, k - start));
        start = k + sep->size();
      }
      parts.push_back(s.substr(start));
      return parts;
    }
    size_t end = s.size();
    while (maxsplit < 0 || int64_t(parts.size()) < maxsplit) {
      if (end < sep->size())
        break;
      size_t k = s.rfind(*sep, end - sep->size());
      if (k == std::string::npos)
        break;
      parts.push_back(s.substr(k + sep->size(), end - k - sep->size()));
      end = k;
    }
    parts.push_back(s.substr(0, end));
    std::reverse(parts.begin(), parts.end());
    return parts;
  }
  std::u32string u = decodeUtf8(s);
  if (!fromRight) {
    size_t k = 0, n = u.size();
    while (true) {
      while (k < n && isPySpace(u[k]))
        ++k;
      if (k == n)
        break;
      if (maxsplit >= 0 && int64_t(parts.size()) == maxsplit) {
        parts.push_back(encodeUtf8(u.substr(k)));
        break;
      }
      size_t start = k;
      while (k < n && !isPySpace(u[k]))
        ++k;
      parts.push_back(encodeUtf8(u.substr(start, k - start)));
    }
    return parts;
  }
  size_t k = u.size();
  while (true) {
    while (k > 0 && isPySpace(u[k - 1]))
      --k;
    if (k == 0)
      break;
    if (maxsplit >= 0 && int64_t(parts.size()) == maxsplit) {
      parts.push_back(encodeUtf8(u.substr(0, k)));
      break;
    }
    size_t end = k;
    while (k > 0 && !isPySpace(u[k - 1]))
      --k;
    parts.push_back(encodeUtf8(u.substr(k, end - k)));
  }
  std::reverse(parts.begin(), parts.end());
  return parts;
}

/// Python's str.replace, `count` < 0 for all.
std::string pyReplace(const std::string &s, const std::string &old,
                      const std::string &with, int64_t count, size_t cap) {
  std::string out;
  int64_t done = 0;
  if (old.empty()) {
    for (size_t k = 0; k <= s.size() && out.size() <= cap;) {
      if (count < 0 || done < count) {
        out += with;
        ++done;
      }
      if (k == s.size())
        break;
      size_t len = nextUtf8Unit(s, k).length;
      out.append(s, k, len);
      k += len;
    }
    return out;
  }
  size_t start = 0;
  while ((count < 0 || done < count) && out.size() <= cap) {
    size_t k = s.find(old, start);
    if (k == std::string::npos)
      break;
    out.append(s, start, k - start);
    out += with;
    start = k + old.size();
    ++done;
  }
  out.append(s, start, std::string::npos);
  return out;
}

size_t codePoints(std::string_view s) {
  if (isAscii(s))
    return s.size();
  size_t n = 0;
  for (size_t k = 0; k < s.size(); ++n)
    k += nextUtf8Unit(s, k).length;
  return n;
}

Result<Value> strMethod(Renderer &r, const std::string &name,
                        const std::string &self, Args &a, size_t pos) {
  const std::string what = "str." + name + "()";
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    CT_BIND(p, what, {"chars"});
    std::optional<std::string> chars;
    CT_ASSIGN(chars, strArg(r, pos, p[0], what, true));
    return r.str(pos, pyStrip(self, chars, name != "rstrip", name != "lstrip"));
  }
  if (name == "startswith" || name == "endswith") {
    CT_BIND(p, what, {"prefix"}, 1);
    std::vector<std::string> options;
    if (p[0]->kind == Value::List && p[0]->tuple) {
      for (const Value &x : *p[0]->list) {
        if (x.kind != Value::String)
          return r.fail(pos, what + " expects strings in the tuple, not " +
                                 typeName(x));
        options.push_back(x.str());
      }
    } else if (p[0]->kind == Value::String) {
      options.push_back(p[0]->str());
    } else {
      return r.fail(pos, what +
                             " expects a string or a tuple of strings, "
                             "not " +
                             typeName(*p[0]));
    }
    for (const std::string &o : options)
      if (o.size() <= self.size() &&
          self.compare(name == "startswith" ? 0 : self.size() - o.size(),
                       o.size(), o) == 0)
        return Value::boolean(true);
    return Value::boolean(false);
  }
  if (name == "split" || name == "rsplit") {
    CT_BIND(p, what, {"sep", "maxsplit"});
    std::optional<std::string> sep;
    CT_ASSIGN(sep, strArg(r, pos, p[0], what, true));
    if (sep && sep->empty())
      return r.fail(pos, what + ": empty separator");
    int64_t maxsplit;
    CT_ASSIGN(maxsplit, intArg(r, pos, p[1], what, -1));
    ValueList items;
    for (std::string &part : pySplit(self, sep, maxsplit, name == "rsplit"))
      items.push_back(Value::string(std::move(part)));
    MAMBA_TRY(r.charge(pos, self.size()));
    return r.list(pos, std::move(items));
  }
  if (name == "upper" || name == "lower" || name == "title" ||
      name == "capitalize") {
    CT_BIND(p, what, {});
    return r.str(pos, name == "upper"   ? upperStr(self)
                      : name == "lower" ? lowerStr(self)
                      : name == "title" ? titleStr(self)
                                        : capitalizeStr(self));
  }
  if (name == "replace") {
    CT_BIND(p, what, {"old", "new", "count"}, 2);
    std::optional<std::string> old, with;
    CT_ASSIGN(old, strArg(r, pos, p[0], what, false));
    CT_ASSIGN(with, strArg(r, pos, p[1], what, false));
    int64_t count;
    CT_ASSIGN(count, intArg(r, pos, p[2], what, -1));
    return r.str(pos, pyReplace(self, *old, *with, count, r.maxBytes()));
  }
  if (name == "find" || name == "count") {
    CT_BIND(p, what, {"sub"}, 1);
    std::optional<std::string> sub;
    CT_ASSIGN(sub, strArg(r, pos, p[0], what, false));
    if (name == "find") {
      size_t k = self.find(*sub);
      return Value::integer(
          k == std::string::npos ? -1 : int64_t(codePoints(self.substr(0, k))));
    }
    if (sub->empty())
      return Value::integer(int64_t(codePoints(self)) + 1);
    int64_t n = 0;
    for (size_t k = self.find(*sub); k != std::string::npos;
         k = self.find(*sub, k + sub->size()))
      ++n;
    return Value::integer(n);
  }
  if (name == "join") {
    CT_BIND(p, what, {"iterable"}, 1);
    std::shared_ptr<const ValueList> items;
    CT_ASSIGN(items, r.iterate(*p[0], pos));
    std::string out;
    for (size_t k = 0; k < items->size(); ++k) {
      const Value &x = (*items)[k];
      if (x.kind != Value::String)
        return r.fail(pos, "sequence item " + std::to_string(k) +
                               ": expected str instance, " + typeName(x) +
                               " found");
      if (k)
        out += self;
      out += x.str();
      if (out.size() > r.maxBytes())
        break;
    }
    return r.str(pos, std::move(out));
  }
  return r.fail(pos, "'str object' has no method '" + name + "'");
}

Result<Value> dictMethod(Renderer &r, const std::string &name,
                         const Value &self, Args &a, size_t pos) {
  const std::string what = "dict." + name + "()";
  if (name == "get") {
    CT_BIND(p, what, {"key", "default"}, 1);
    if (p[0]->kind == Value::String)
      if (const Value *x = self.dict->find(p[0]->str()))
        return *x;
    return p[1] ? *p[1] : Value::none();
  }
  CT_BIND(p, what, {});
  ValueList items;
  for (const auto &[key, x] : self.dict->items) {
    if (name == "keys") {
      items.push_back(Value::string(key));
    } else if (name == "values") {
      items.push_back(x);
    } else {
      Value pair;
      CT_ASSIGN(pair, r.list(pos, {Value::string(key), x}, true));
      items.push_back(std::move(pair));
    }
  }
  return r.list(pos, std::move(items));
}

//===----------------------------------------------------------------------===//
// Filters (filters.py; tojson as transformers defines it)
//===----------------------------------------------------------------------===//

Result<Value> fAbs(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'abs'", {});
  if (v.kind == Value::Float)
    return Value::real(std::fabs(v.f));
  if (v.isIntLike()) {
    if (v.asInt() == INT64_MIN)
      return r.fail(pos, "integer overflow (past 64 bits)");
    return Value::integer(std::abs(v.asInt()));
  }
  if (v.kind == Value::Undefined)
    return r.undefinedError(v, pos);
  return r.fail(pos, std::string("bad operand type for abs(): '") +
                         typeName(v) + "'");
}

/// A filter on str(value).
template <std::string (*F)(std::string_view)>
Result<Value> fText(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "the filter", {});
  std::string s;
  CT_ASSIGN(s, r.toStr(v, pos));
  return r.str(pos, F(s));
}
std::string jinjaTitle(std::string_view s) {
  // filters.py do_title: split at runs of [-\s({\[<], each piece's first
  // character upper case, the rest lower case.
  std::u32string u = decodeUtf8(s);
  auto separator = [](char32_t c) {
    return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' ||
           isPySpace(uint32_t(c));
  };
  std::vector<int> mode(u.size(), 0);
  for (size_t k = 0; k < u.size(); ++k)
    mode[k] = k == 0 || separator(u[k]) != separator(u[k - 1]) ? 1 : 0;
  return mapCase(u, mode);
}
std::string htmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&#34;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}
std::string capitalizeView(std::string_view s) { return capitalizeStr(s); }
std::string upperView(std::string_view s) { return upperStr(s); }
std::string lowerView(std::string_view s) { return lowerStr(s); }

Result<Value> fLength(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'length'", {});
  switch (v.kind) {
  case Value::Undefined:
    return Value::integer(0);
  case Value::String:
    return Value::integer(int64_t(codePoints(v.str())));
  case Value::List:
    return Value::integer(int64_t(v.list->size()));
  case Value::Dict:
    return Value::integer(int64_t(v.dict->items.size()));
  case Value::Loop:
    return Value::integer(int64_t(v.loop->items->size()));
  default:
    return r.fail(pos, std::string("object of type '") + typeName(v) +
                           "' has no len()");
  }
}

Result<Value> fDefault(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'default'", {"default_value", "boolean"});
  bool boolean = p[1] && truthy(*p[1]);
  if (v.kind == Value::Undefined || (boolean && !truthy(v)))
    return p[0] ? *p[0] : Value::string("");
  return v;
}

Result<Value> fFirstLast(Renderer &r, const Value &v, Args &a, size_t pos,
                         bool first) {
  CT_BIND(p, first ? "filter 'first'" : "filter 'last'", {});
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  if (items->empty())
    return Value::undefined(first ? "No first item, sequence was empty."
                                  : "No last item, sequence was empty.");
  return first ? items->front() : items->back();
}
Result<Value> fFirst(Renderer &r, const Value &v, Args &a, size_t pos) {
  return fFirstLast(r, v, a, pos, true);
}
Result<Value> fLast(Renderer &r, const Value &v, Args &a, size_t pos) {
  return fFirstLast(r, v, a, pos, false);
}

/// Python's float(str): optional sign, digits with underscores, inf, nan.
std::optional<double> parsePyFloat(const std::string &text) {
  std::string s = pyStrip(text, std::nullopt, true, true);
  std::string clean;
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] == '_') {
      if (k == 0 || k + 1 == s.size() ||
          !std::isdigit((unsigned char)s[k - 1]) ||
          !std::isdigit((unsigned char)s[k + 1]))
        return std::nullopt;
      continue;
    }
    clean += s[k];
  }
  if (clean.empty())
    return std::nullopt;
  std::string lower = lowerStr(clean);
  size_t signLen = lower[0] == '+' || lower[0] == '-' ? 1 : 0;
  std::string body = lower.substr(signLen);
  double sign = lower[0] == '-' ? -1 : 1;
  if (body == "inf" || body == "infinity")
    return sign * HUGE_VAL;
  if (body == "nan")
    return std::nan("");
  for (char c : body)
    if (!std::isdigit((unsigned char)c) && c != '.' && c != 'e' && c != '+' &&
        c != '-')
      return std::nullopt;
  char *end = nullptr;
  double d = std::strtod(clean.c_str(), &end);
  if (!end || *end || body.empty())
    return std::nullopt;
  return d;
}

/// Python's int(str, base).
std::optional<int64_t> parsePyInt(const std::string &text, int64_t base) {
  std::string s = pyStrip(text, std::nullopt, true, true);
  bool negative = false;
  size_t k = 0;
  if (k < s.size() && (s[k] == '+' || s[k] == '-'))
    negative = s[k++] == '-';
  std::string lower = lowerStr(s.substr(k));
  if (base == 0 || base == 16 || base == 8 || base == 2) {
    if (lower.size() > 1 && lower[0] == '0' &&
        (lower[1] == 'x' || lower[1] == 'o' || lower[1] == 'b')) {
      int64_t prefixBase = lower[1] == 'x' ? 16 : lower[1] == 'o' ? 8 : 2;
      if (base != 0 && base != prefixBase)
        return std::nullopt;
      base = prefixBase;
      lower = lower.substr(2);
      if (!lower.empty() && lower[0] == '_')
        lower = lower.substr(1);
    } else if (base == 0) {
      base = 10;
    }
  }
  if (base < 2 || base > 36 || lower.empty())
    return std::nullopt;
  uint64_t value = 0;
  for (size_t j = 0; j < lower.size(); ++j) {
    char c = lower[j];
    if (c == '_') {
      if (j == 0 || j + 1 == lower.size() || lower[j + 1] == '_')
        return std::nullopt;
      continue;
    }
    int64_t digit = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'z' ? c - 'a' + 10
                                           : 99;
    if (digit >= base)
      return std::nullopt;
    value = value * uint64_t(base) + uint64_t(digit);
    if (value > uint64_t(INT64_MAX) + (negative ? 1 : 0))
      return std::nullopt;
  }
  return negative ? int64_t(0 - value) : int64_t(value);
}

Result<Value> fInt(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'int'", {"default", "base"});
  Value def = p[0] ? *p[0] : Value::integer(0);
  int64_t base;
  CT_ASSIGN(base, intArg(r, pos, p[1], "filter 'int'", 10));
  auto fromDouble = [&](double d) -> Result<Value> {
    if (std::isnan(d) || std::isinf(d))
      return r.fail(pos, "cannot convert " + pyFloat(d) + " to an integer");
    if (d >= 9.2233720368547758e18 || d < -9.2233720368547758e18)
      return r.fail(pos, "integer overflow (past 64 bits)");
    return Value::integer(int64_t(d));
  };
  switch (v.kind) {
  case Value::Int:
  case Value::Bool:
    return Value::integer(v.asInt());
  case Value::Float:
    return fromDouble(v.f);
  case Value::String: {
    if (std::optional<int64_t> i = parsePyInt(v.str(), base))
      return Value::integer(*i);
    if (std::optional<double> d = parsePyFloat(v.str()))
      return fromDouble(*d);
    return def;
  }
  default:
    return def;
  }
}

Result<Value> fFloat(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'float'", {"default"});
  Value def = p[0] ? *p[0] : Value::real(0);
  if (v.isNumber())
    return Value::real(v.asDouble());
  if (v.kind == Value::String)
    if (std::optional<double> d = parsePyFloat(v.str()))
      return Value::real(*d);
  return def;
}

Result<Value> fIndent(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'indent'", {"width", "first", "blank"});
  std::string indent(4, ' ');
  if (p[0] && p[0]->kind == Value::String)
    indent = p[0]->str();
  else if (p[0]) {
    int64_t width;
    CT_ASSIGN(width, intArg(r, pos, p[0], "filter 'indent'", 4));
    indent = std::string(size_t(std::clamp<int64_t>(width, 0, 4096)), ' ');
  }
  bool first = p[1] && truthy(*p[1]), blank = p[2] && truthy(*p[2]);
  std::string s;
  CT_ASSIGN(s, r.toStr(v, pos));
  // str.splitlines() of s + "\n".
  s += "\n";
  std::vector<std::string> lines;
  std::u32string u = decodeUtf8(s);
  size_t start = 0;
  for (size_t k = 0; k < u.size(); ++k) {
    char32_t c = u[k];
    bool breakHere = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C ||
                     c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85 ||
                     c == 0x2028 || c == 0x2029;
    if (!breakHere)
      continue;
    lines.push_back(encodeUtf8(u.substr(start, k - start)));
    if (c == '\r' && k + 1 < u.size() && u[k + 1] == '\n')
      ++k;
    start = k + 1;
  }
  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (k) {
      out += "\n";
      if (blank || !lines[k].empty())
        out += indent;
    }
    out += lines[k];
    if (out.size() > r.maxBytes())
      break;
  }
  if (first)
    out = indent + out;
  return r.str(pos, std::move(out));
}

Result<Value> fItems(Renderer &r, const Value &v, Args &a, size_t pos) {
  if (v.kind == Value::Undefined)
    return r.list(pos, {});
  if (v.kind != Value::Dict)
    return r.fail(pos, "filter 'items' can only get item pairs from a "
                       "mapping");
  return dictMethod(r, "items", v, a, pos);
}

/// make_attrgetter: "a.b.0" looks up a, then b, then item 0.
Result<Value> attribute(Renderer &r, const Value &v, const Value &attr,
                        size_t pos) {
  if (attr.kind != Value::String)
    return r.getItem(v, attr, pos);
  Value x = v;
  for (const std::string &part : pySplit(attr.str(), ".", -1, false)) {
    Value key = Value::string(part);
    if (std::optional<int64_t> i = parsePyInt(part, 10);
        i && !part.empty() && std::isdigit((unsigned char)part[0]))
      key = Value::integer(*i);
    CT_ASSIGN(x, r.getItem(x, key, pos));
  }
  return x;
}

Result<Value> fJoin(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'join'", {"d", "attribute"});
  std::string sep;
  if (p[0])
    CT_ASSIGN(sep, r.toStr(*p[0], pos));
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  std::string out;
  for (size_t k = 0; k < items->size(); ++k) {
    Value x = (*items)[k];
    if (p[1] && p[1]->kind != Value::None)
      CT_ASSIGN(x, attribute(r, x, *p[1], pos));
    std::string s;
    CT_ASSIGN(s, r.toStr(x, pos));
    if (k)
      out += sep;
    out += s;
    if (out.size() > r.maxBytes())
      break;
  }
  return r.str(pos, std::move(out));
}

Result<Value> fList(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'list'", {});
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  return r.list(pos, *items);
}

Result<Value> fReplace(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'replace'", {"old", "new", "count"}, 2);
  std::string s, old, with;
  CT_ASSIGN(s, r.toStr(v, pos));
  CT_ASSIGN(old, r.toStr(*p[0], pos));
  CT_ASSIGN(with, r.toStr(*p[1], pos));
  int64_t count;
  CT_ASSIGN(count, intArg(r, pos, p[2], "filter 'replace'", -1));
  return r.str(pos, pyReplace(s, old, with, count, r.maxBytes()));
}

Result<Value> fReverse(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'reverse'", {});
  if (v.kind == Value::String) {
    std::u32string u = decodeUtf8(v.str());
    std::reverse(u.begin(), u.end());
    return r.str(pos, encodeUtf8(u));
  }
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  ValueList out(items->rbegin(), items->rend());
  return r.list(pos, std::move(out));
}

Result<Value> fRound(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'round'", {"precision", "method"});
  int64_t precision;
  CT_ASSIGN(precision, intArg(r, pos, p[0], "filter 'round'", 0));
  std::string method = "common";
  if (p[1]) {
    std::optional<std::string> m;
    CT_ASSIGN(m, strArg(r, pos, p[1], "filter 'round'", false));
    method = *m;
  }
  if (method != "common" && method != "ceil" && method != "floor")
    return r.fail(pos, "filter 'round': method must be 'common', 'ceil' or "
                       "'floor'");
  if (!v.isNumber())
    return r.fail(pos, std::string("filter 'round' expects a number, not ") +
                           typeName(v));
  if (method == "common") {
    if (v.isIntLike())
      return Value::integer(v.asInt());
    precision = std::clamp<int64_t>(precision, -300, 300);
    if (precision < 0) {
      double scale = std::pow(10.0, double(-precision));
      return Value::real(std::nearbyint(v.f / scale) * scale);
    }
    // Python rounds the exact binary value half to even, as printf does.
    char buf[512];
    std::snprintf(buf, sizeof(buf), "%.*f", int(precision), v.f);
    return Value::real(std::strtod(buf, nullptr));
  }
  double scale = std::pow(10.0, double(precision));
  double x = v.asDouble() * scale;
  return Value::real((method == "ceil" ? std::ceil(x) : std::floor(x)) / scale);
}

Result<Value> fString(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "the filter", {});
  std::string s;
  CT_ASSIGN(s, r.toStr(v, pos));
  return r.str(pos, std::move(s));
}

/// select, reject, selectattr, rejectattr.
Result<Value> selectItems(Renderer &r, const Value &v, Args &a, size_t pos,
                          bool byAttribute, bool keep) {
  const char *what =
      byAttribute ? (keep ? "filter 'selectattr'" : "filter 'rejectattr'")
                  : (keep ? "filter 'select'" : "filter 'reject'");
  if (!a.kw.empty())
    return r.fail(pos, std::string(what) + " takes no keyword arguments");
  size_t k = 0;
  std::optional<Value> attr;
  if (byAttribute) {
    if (a.pos.empty())
      return r.fail(pos, std::string(what) + " needs the attribute's name");
    attr = a.pos[k++];
  }
  std::optional<std::string> test;
  if (k < a.pos.size()) {
    if (a.pos[k].kind != Value::String)
      return r.fail(pos, std::string(what) + ": the test's name must be a "
                                             "string");
    test = a.pos[k++].str();
  }
  Args testArgs;
  testArgs.pos.assign(a.pos.begin() + long(k), a.pos.end());
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  ValueList out;
  for (const Value &item : *items) {
    Value x = item;
    if (attr)
      CT_ASSIGN(x, attribute(r, item, *attr, pos));
    bool pass;
    if (test) {
      Args copy = testArgs;
      CT_ASSIGN(pass, r.applyTest(*test, x, copy, pos));
    } else {
      pass = truthy(x);
    }
    if (pass == keep)
      out.push_back(item);
  }
  return r.list(pos, std::move(out));
}
Result<Value> fSelect(Renderer &r, const Value &v, Args &a, size_t pos) {
  return selectItems(r, v, a, pos, false, true);
}
Result<Value> fReject(Renderer &r, const Value &v, Args &a, size_t pos) {
  return selectItems(r, v, a, pos, false, false);
}
Result<Value> fSelectattr(Renderer &r, const Value &v, Args &a, size_t pos) {
  return selectItems(r, v, a, pos, true, true);
}
Result<Value> fRejectattr(Renderer &r, const Value &v, Args &a, size_t pos) {
  return selectItems(r, v, a, pos, true, false);
}

Result<Value> fMap(Renderer &r, const Value &v, Args &a, size_t pos) {
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  ValueList out;
  std::optional<Value> attr, def;
  for (auto &[key, value] : a.kw) {
    if (key == "attribute")
      attr = value;
    else if (key == "default")
      def = value;
    else
      return r.fail(pos, "filter 'map' got an unexpected keyword argument '" +
                             key + "'");
  }
  if (attr) {
    if (!a.pos.empty())
      return r.fail(pos, "filter 'map' takes either a filter or attribute=");
    for (const Value &item : *items) {
      Value x;
      CT_ASSIGN(x, attribute(r, item, *attr, pos));
      if (x.kind == Value::Undefined && def)
        x = *def;
      out.push_back(std::move(x));
    }
    return r.list(pos, std::move(out));
  }
  if (def)
    return r.fail(pos, "filter 'map': default= goes with attribute=");
  if (a.pos.empty() || a.pos[0].kind != Value::String)
    return r.fail(pos, "filter 'map' needs a filter's name or attribute=");
  auto it = filterTable().find(a.pos[0].str());
  if (it == filterTable().end())
    return r.fail(pos, "unknown filter '" + a.pos[0].str() + "'");
  for (const Value &item : *items) {
    Args rest;
    rest.pos.assign(a.pos.begin() + 1, a.pos.end());
    Value x;
    CT_ASSIGN(x, it->second(r, item, rest, pos));
    out.push_back(std::move(x));
  }
  return r.list(pos, std::move(out));
}

Result<Value> fSum(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'sum'", {"attribute", "start"});
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  Value total = p[1] ? *p[1] : Value::integer(0);
  if (total.kind == Value::String)
    return r.fail(pos, "sum() can't sum strings [use ''.join(seq) instead]");
  for (const Value &item : *items) {
    Value x = item;
    if (p[0] && p[0]->kind != Value::None)
      CT_ASSIGN(x, attribute(r, item, *p[0], pos));
    CT_ASSIGN(total, r.binary("+", total, x, pos));
  }
  return total;
}

Result<Value> fTojson(Renderer &r, const Value &v, Args &a, size_t pos) {
  // transformers: tojson(x, ensure_ascii=False, indent=None,
  // separators=None, sort_keys=False) -> json.dumps(...).
  CT_BIND(p, "filter 'tojson'",
          {"ensure_ascii", "indent", "separators", "sort_keys"});
  Renderer::JsonStyle style;
  style.ensureAscii = p[0] && truthy(*p[0]);
  if (p[1] && p[1]->kind != Value::None) {
    if (p[1]->kind == Value::String) {
      style.indent = p[1]->str();
    } else if (p[1]->isIntLike()) {
      style.indent =
          std::string(size_t(std::clamp<int64_t>(p[1]->asInt(), 0, 4096)), ' ');
    } else {
      return r.fail(pos, "filter 'tojson': indent must be an integer or a "
                         "string");
    }
    style.itemSep = ",";
  }
  if (p[2] && p[2]->kind != Value::None) {
    const Value &s = *p[2];
    if (s.kind != Value::List || s.list->size() != 2 ||
        (*s.list)[0].kind != Value::String ||
        (*s.list)[1].kind != Value::String)
      return r.fail(pos, "filter 'tojson': separators must be a pair of "
                         "strings");
    style.itemSep = (*s.list)[0].str();
    style.keySep = (*s.list)[1].str();
  }
  style.sortKeys = p[3] && truthy(*p[3]);
  std::string out;
  MAMBA_TRY(r.writeJson(out, v, style, 0, pos));
  return r.str(pos, std::move(out));
}

Result<Value> fTrim(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'trim'", {"chars"});
  std::string s;
  CT_ASSIGN(s, r.toStr(v, pos));
  std::optional<std::string> chars;
  if (p[0] && p[0]->kind != Value::None) {
    std::string c;
    CT_ASSIGN(c, r.toStr(*p[0], pos));
    chars = c;
  }
  return r.str(pos, pyStrip(s, chars, true, true));
}

/// Python's sorted(): a stable merge sort by `keys` that uses `<` only and
/// stops at the first comparison that fails. Returns the order of indices.
Result<std::vector<size_t>> sortedOrder(Renderer &r, const ValueList &keys,
                                        bool reverse, size_t pos) {
  std::vector<size_t> order(keys.size()), tmp(keys.size());
  for (size_t k = 0; k < order.size(); ++k)
    order[k] = k;
  for (size_t width = 1; width < order.size(); width *= 2) {
    for (size_t lo = 0; lo < order.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, order.size());
      size_t hi = std::min(lo + 2 * width, order.size());
      size_t i = lo, j = mid, out = lo;
      while (i < mid && j < hi) {
        // reverse=True keeps equal items in their order too.
        bool takeRight;
        CT_ASSIGN(takeRight,
                  r.compare("<", reverse ? keys[order[i]] : keys[order[j]],
                            reverse ? keys[order[j]] : keys[order[i]], pos));
        tmp[out++] = takeRight ? order[j++] : order[i++];
      }
      while (i < mid)
        tmp[out++] = order[i++];
      while (j < hi)
        tmp[out++] = order[j++];
    }
    order.swap(tmp);
    MAMBA_TRY(r.tick(pos));
  }
  return order;
}

/// The sort key of a filter: the attribute when given, lower case unless
/// case_sensitive (filters.py ignore_case).
Result<Value> sortKey(Renderer &r, const Value &item,
                      const std::optional<Value> &attr, bool caseSensitive,
                      size_t pos) {
  Value key = item;
  if (attr && attr->kind != Value::None)
    CT_ASSIGN(key, attribute(r, item, *attr, pos));
  if (!caseSensitive && key.kind == Value::String)
    key = Value::string(lowerStr(key.str()));
  return key;
}

Result<Value> fSort(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'sort'", {"reverse", "case_sensitive", "attribute"});
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  ValueList keys;
  for (const Value &item : *items) {
    Value key;
    CT_ASSIGN(key, sortKey(r, item, p[2], p[1] && truthy(*p[1]), pos));
    keys.push_back(std::move(key));
  }
  std::vector<size_t> order;
  CT_ASSIGN(order, sortedOrder(r, keys, p[0] && truthy(*p[0]), pos));
  ValueList out;
  for (size_t k : order)
    out.push_back((*items)[k]);
  return r.list(pos, std::move(out));
}

Result<Value> fDictsort(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'dictsort'", {"case_sensitive", "by", "reverse"});
  if (v.kind != Value::Dict)
    return r.fail(pos, "filter 'dictsort' needs a mapping, not " +
                           std::string(typeName(v)));
  bool byValue = false;
  if (p[1]) {
    if (p[1]->kind != Value::String ||
        (p[1]->str() != "key" && p[1]->str() != "value"))
      return r.fail(pos, "filter 'dictsort': by must be 'key' or 'value'");
    byValue = p[1]->str() == "value";
  }
  ValueList pairs, keys;
  for (const auto &[key, x] : v.dict->items) {
    Value pair;
    CT_ASSIGN(pair, r.list(pos, {Value::string(key), x}, true));
    pairs.push_back(std::move(pair));
    Value k;
    CT_ASSIGN(k, sortKey(r, byValue ? x : Value::string(key), std::nullopt,
                         p[0] && truthy(*p[0]), pos));
    keys.push_back(std::move(k));
  }
  std::vector<size_t> order;
  CT_ASSIGN(order, sortedOrder(r, keys, p[2] && truthy(*p[2]), pos));
  ValueList out;
  for (size_t k : order)
    out.push_back(pairs[k]);
  return r.list(pos, std::move(out));
}

Result<Value> fMinMax(Renderer &r, const Value &v, Args &a, size_t pos,
                      bool max) {
  CT_BIND(p, max ? "filter 'max'" : "filter 'min'",
          {"case_sensitive", "attribute"});
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  if (items->empty())
    return Value::undefined("No aggregated item, sequence was empty.");
  size_t best = 0;
  Value bestKey;
  for (size_t k = 0; k < items->size(); ++k) {
    Value key;
    CT_ASSIGN(key, sortKey(r, (*items)[k], p[1], p[0] && truthy(*p[0]), pos));
    bool better = k == 0;
    if (!better)
      CT_ASSIGN(better,
                r.compare("<", max ? bestKey : key, max ? key : bestKey, pos));
    if (better) {
      best = k;
      bestKey = std::move(key);
    }
  }
  return (*items)[best];
}
Result<Value> fMin(Renderer &r, const Value &v, Args &a, size_t pos) {
  return fMinMax(r, v, a, pos, false);
}
Result<Value> fMax(Renderer &r, const Value &v, Args &a, size_t pos) {
  return fMinMax(r, v, a, pos, true);
}

Result<Value> fUnique(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "filter 'unique'", {"case_sensitive", "attribute"});
  bool caseSensitive = p[0] && truthy(*p[0]);
  std::shared_ptr<const ValueList> items;
  CT_ASSIGN(items, r.iterate(v, pos));
  ValueList out, seen;
  for (const Value &item : *items) {
    Value key = item;
    if (p[1] && p[1]->kind != Value::None)
      CT_ASSIGN(key, attribute(r, item, *p[1], pos));
    if (!caseSensitive && key.kind == Value::String)
      key = Value::string(lowerStr(key.str()));
    bool dup = false;
    for (const Value &s : seen)
      if (pyEqual(s, key)) {
        dup = true;
        break;
      }
    if (dup)
      continue;
    MAMBA_TRY(r.tick(pos));
    seen.push_back(std::move(key));
    out.push_back(item);
  }
  return r.list(pos, std::move(out));
}

const std::unordered_map<std::string, FilterFn> &filterTable() {
  static const std::unordered_map<std::string, FilterFn> table = {
      {"abs", fAbs},
      {"capitalize", fText<capitalizeView>},
      {"count", fLength},
      {"d", fDefault},
      {"default", fDefault},
      {"dictsort", fDictsort},
      {"e", fText<htmlEscape>},
      {"escape", fText<htmlEscape>},
      {"first", fFirst},
      {"float", fFloat},
      {"indent", fIndent},
      {"int", fInt},
      {"items", fItems},
      {"join", fJoin},
      {"last", fLast},
      {"length", fLength},
      {"list", fList},
      {"lower", fText<lowerView>},
      {"map", fMap},
      {"max", fMax},
      {"min", fMin},
      {"reject", fReject},
      {"rejectattr", fRejectattr},
      {"replace", fReplace},
      {"reverse", fReverse},
      {"round", fRound},
      {"safe", fString},
      {"select", fSelect},
      {"selectattr", fSelectattr},
      {"sort", fSort},
      {"string", fString},
      {"sum", fSum},
      {"title", fText<jinjaTitle>},
      {"tojson", fTojson},
      {"trim", fTrim},
      {"unique", fUnique},
      {"upper", fText<upperView>},
  };
  return table;
}

//===----------------------------------------------------------------------===//
// Tests (tests.py)
//===----------------------------------------------------------------------===//

template <bool (*F)(const Value &)>
Result<bool> tKind(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "the test", {});
  return F(v);
}
bool isDefined(const Value &v) { return v.kind != Value::Undefined; }
bool isUndefined(const Value &v) { return v.kind == Value::Undefined; }
bool isNone(const Value &v) { return v.kind == Value::None; }
bool isBoolean(const Value &v) { return v.kind == Value::Bool; }
bool isTrue(const Value &v) { return v.kind == Value::Bool && v.b; }
bool isFalse(const Value &v) { return v.kind == Value::Bool && !v.b; }
bool isInteger(const Value &v) { return v.kind == Value::Int; }
bool isFloat(const Value &v) { return v.kind == Value::Float; }
bool isNumber(const Value &v) { return v.isNumber(); }
bool isString(const Value &v) { return v.kind == Value::String; }
bool isMapping(const Value &v) { return v.kind == Value::Dict; }
bool isIterable(const Value &v) {
  return v.kind == Value::String || v.kind == Value::List ||
         v.kind == Value::Dict || v.kind == Value::Undefined ||
         v.kind == Value::Loop;
}
bool isSequence(const Value &v) {
  return v.kind == Value::String || v.kind == Value::List ||
         v.kind == Value::Dict || v.kind == Value::Undefined;
}
bool isCallable(const Value &v) { return v.kind == Value::Function; }

Result<bool> tCase(Renderer &r, const Value &v, Args &a, size_t pos,
                   bool lower) {
  CT_BIND(p, "the test", {});
  std::string s;
  CT_ASSIGN(s, r.toStr(v, pos));
  return hasOnlyCase(s, lower);
}
Result<bool> tLower(Renderer &r, const Value &v, Args &a, size_t pos) {
  return tCase(r, v, a, pos, true);
}
Result<bool> tUpper(Renderer &r, const Value &v, Args &a, size_t pos) {
  return tCase(r, v, a, pos, false);
}

Result<bool> tDivisible(Renderer &r, const Value &v, size_t pos,
                        const Value &by) {
  Value m;
  CT_ASSIGN(m, r.binary("%", v, by, pos));
  return pyEqual(m, Value::integer(0));
}
Result<bool> tEven(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "test 'even'", {});
  return tDivisible(r, v, pos, Value::integer(2));
}
Result<bool> tOdd(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "test 'odd'", {});
  bool even;
  CT_ASSIGN(even, tDivisible(r, v, pos, Value::integer(2)));
  return !even;
}
Result<bool> tDivisibleby(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "test 'divisibleby'", {"num"}, 1);
  return tDivisible(r, v, pos, *p[0]);
}

template <int Op>
Result<bool> tCompare(Renderer &r, const Value &v, Args &a, size_t pos) {
  static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
  CT_BIND(p, std::string("test '") + ops[Op] + "'", {"other"}, 1);
  return r.compare(ops[Op], v, *p[0], pos);
}

Result<bool> tIn(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "test 'in'", {"seq"}, 1);
  return r.contains(*p[0], v, pos);
}

Result<bool> tSameas(Renderer &r, const Value &v, Args &a, size_t pos) {
  CT_BIND(p, "test 'sameas'", {"other"}, 1);
  const Value &o = *p[0];
  if (v.kind != o.kind)
    return false;
  switch (v.kind) {
  case Value::None:
  case Value::Undefined:
    return v.kind == Value::None;
  case Value::Bool:
    return v.b == o.b;
  case Value::Int:
    return v.i == o.i;
  case Value::String:
    return v.s == o.s;
  case Value::List:
    return v.list == o.list;
  case Value::Dict:
  case Value::Namespace:
    return v.dict == o.dict;
  case Value::Function:
    return v.fn == o.fn;
  default:
    return false;
  }
}

const std::unordered_map<std::string, TestFn> &testTable() {
  static const std::unordered_map<std::string, TestFn> table = {
      {"boolean", tKind<isBoolean>},
      {"callable", tKind<isCallable>},
      {"defined", tKind<isDefined>},
      {"divisibleby", tDivisibleby},
      {"eq", tCompare<0>},
      {"equalto", tCompare<0>},
      {"==", tCompare<0>},
      {"even", tEven},
      {"false", tKind<isFalse>},
      {"float", tKind<isFloat>},
      {"ge", tCompare<5>},
      {">=", tCompare<5>},
      {"gt", tCompare<4>},
      {"greaterthan", tCompare<4>},
      {">", tCompare<4>},
      {"in", tIn},
      {"integer", tKind<isInteger>},
      {"iterable", tKind<isIterable>},
      {"le", tCompare<3>},
      {"<=", tCompare<3>},
      {"lower", tLower},
      {"lt", tCompare<2>},
      {"lessthan", tCompare<2>},
      {"<", tCompare<2>},
      {"mapping", tKind<isMapping>},
      {"ne", tCompare<1>},
      {"!=", tCompare<1>},
      {"none", tKind<isNone>},
      {"number", tKind<isNumber>},
      {"odd", tOdd},
      {"sameas", tSameas},
      {"sequence", tKind<isSequence>},
      {"string", tKind<isString>},
      {"true", tKind<isTrue>},
      {"undefined", tKind<isUndefined>},
      {"upper", tUpper},
  };
  return table;
}

Result<bool> Renderer::applyTest(const std::string &name, const Value &v,
                                 Args &args, size_t pos) {
  auto it = testTable().find(name);
  if (it == testTable().end())
    return fail(pos, "unknown test '" + name + "'");
  return it->second(*this, v, args, pos);
}

//===----------------------------------------------------------------------===//
// Globals: range, dict, namespace, raise_exception, strftime_now
//===----------------------------------------------------------------------===//

Result<Value> gRange(Renderer &r, Args &a, size_t pos) {
  if (!a.kw.empty() || a.pos.empty() || a.pos.size() > 3)
    return r.fail(pos, "range() takes 1 to 3 integer arguments");
  int64_t v[3] = {0, 0, 1};
  for (size_t k = 0; k < a.pos.size(); ++k) {
    if (!a.pos[k].isIntLike())
      return r.fail(pos, std::string("range() expects integers, not ") +
                             typeName(a.pos[k]));
    v[a.pos.size() == 1 ? 1 : k] = a.pos[k].asInt();
  }
  if (v[2] == 0)
    return r.fail(pos, "range() arg 3 must not be zero");
  // The sandbox's MAX_RANGE.
  const int64_t kMaxRange = 100000;
  double count = std::ceil((double(v[1]) - double(v[0])) / double(v[2]));
  if (count > double(kMaxRange))
    return r.fail(pos, "range too big: the sandbox allows at most " +
                           std::to_string(kMaxRange) + " items");
  ValueList items;
  for (int64_t x = v[0]; v[2] > 0 ? x < v[1] : x > v[1];) {
    items.push_back(Value::integer(x));
    if (__builtin_add_overflow(x, v[2], &x))
      break;
  }
  return r.list(pos, std::move(items));
}

Result<std::shared_ptr<struct Dict>> kwargsDict(Renderer &r, Args &a,
                                                size_t pos, const char *what) {
  auto d = std::make_shared<struct Dict>();
  if (a.pos.size() > 1)
    return r.fail(pos, std::string(what) + "() takes at most 1 positional "
                                           "argument");
  if (a.pos.size() == 1) {
    if (a.pos[0].kind != Value::Dict && a.pos[0].kind != Value::Namespace)
      return r.fail(pos, std::string(what) + "() expects a mapping, not " +
                             typeName(a.pos[0]));
    *d = *a.pos[0].dict;
  }
  for (auto &[key, value] : a.kw)
    d->set(key, value);
  return d;
}

Result<Value> gDict(Renderer &r, Args &a, size_t pos) {
  std::shared_ptr<struct Dict> d;
  CT_ASSIGN(d, kwargsDict(r, a, pos, "dict"));
  return r.dict(pos, std::move(d));
}

Result<Value> gNamespace(Renderer &r, Args &a, size_t pos) {
  std::shared_ptr<struct Dict> d;
  CT_ASSIGN(d, kwargsDict(r, a, pos, "namespace"));
  Value check;
  CT_ASSIGN(check, r.dict(pos, d));
  if (check.holdsNamespace)
    return r.fail(pos, "a namespace cannot hold another namespace here");
  Value v;
  v.kind = Value::Namespace;
  v.nest = 1;
  v.holdsNamespace = true;
  v.dict = std::move(d);
  return v;
}

Result<Value> gRaiseException(Renderer &r, Args &a, size_t pos) {
  std::string message;
  if (!a.pos.empty())
    CT_ASSIGN(message, r.toStr(a.pos[0], pos));
  return r.fail(pos, message);
}

Result<Value> gStrftimeNow(Renderer &r, Args &a, size_t pos) {
  CT_BIND(p, "strftime_now()", {"format"}, 1);
  std::optional<std::string> format;
  CT_ASSIGN(format, strArg(r, pos, p[0], "strftime_now()", false));
  std::time_t now = r.now();
  std::tm tm{};
  localtime_r(&now, &tm);
  if (format->empty())
    return Value::string("");
  for (size_t size = 256; size <= 65536; size *= 4) {
    std::string buf(size, '\0');
    size_t n = std::strftime(buf.data(), buf.size(), format->c_str(), &tm);
    if (n > 0) {
      buf.resize(n);
      return r.str(pos, std::move(buf));
    }
  }
  return r.fail(pos, "strftime_now(): the format makes no text or too much");
}

Result<std::string> Renderer::run(const ojson &context) {
  globals_ = std::make_shared<Frame>();
  struct Global {
    const char *name;
    Result<Value> (*fn)(Renderer &, Args &, size_t);
  };
  for (const Global &g : {Global{"range", gRange}, Global{"dict", gDict},
                          Global{"namespace", gNamespace},
                          Global{"raise_exception", gRaiseException},
                          Global{"strftime_now", gStrftimeNow}}) {
    Value v;
    CT_ASSIGN(v, function(g.name, g.fn));
    globals_->vars[g.name] = std::move(v);
  }
  for (auto it = context.begin(); it != context.end(); ++it) {
    Value v;
    CT_ASSIGN(v, fromJson(it.value(), 1));
    globals_->vars[it.key()] = std::move(v);
  }
  auto root = std::make_shared<Frame>();
  root->parent = globals_;
  std::string out;
  out_ = &out;
  MAMBA_TRY(exec(p_.body, root));
  return out;
}

} // namespace

//===----------------------------------------------------------------------===//
// The API
//===----------------------------------------------------------------------===//

Result<ChatTemplate> ChatTemplate::parse(std::string source,
                                         std::string origin) {
  auto program = std::make_shared<Program>();
  program->origin = std::move(origin);
  // lexer.py: "\r\n", "\r" and "\n" are all line breaks, and
  // (keep_trailing_newline off) one newline at the end is dropped.
  std::string text;
  text.reserve(source.size());
  for (size_t k = 0; k < source.size(); ++k) {
    if (source[k] == '\r') {
      text += '\n';
      if (k + 1 < source.size() && source[k + 1] == '\n')
        ++k;
    } else {
      text += source[k];
    }
  }
  if (!text.empty() && text.back() == '\n')
    text.pop_back();
  program->source = std::move(text);
  program->lineStarts.push_back(0);
  for (size_t k = 0; k < program->source.size(); ++k)
    if (program->source[k] == '\n')
      program->lineStarts.push_back(k + 1);
  for (size_t k = 0; k < program->source.size();) {
    Utf8Unit u = nextUtf8Unit(program->source, k);
    if (u.kind != Utf8Unit::Valid)
      return program->error(k, "the template is not valid UTF-8");
    k += u.length;
  }
  Result<std::vector<Token>> tokens = Lexer(*program).run();
  MAMBA_TRY(tokens);
  Parser parser(*program, tokens.take());
  MAMBA_TRY(parser.parseTemplate(program->body));
  return ChatTemplate(std::move(program));
}

Result<std::string>
ChatTemplate::render(const nlohmann::ordered_json &context,
                     const ChatTemplateLimits &limits) const {
  if (!context.is_object())
    return Error(program_->origin + ": the variables must be a JSON object");
  Renderer renderer(*program_, limits);
  return renderer.run(context);
}

Result<std::string>
ChatTemplate::render(const nlohmann::json &context,
                     const ChatTemplateLimits &limits) const {
  return render(nlohmann::ordered_json(context), limits);
}

const std::string &ChatTemplate::origin() const { return program_->origin; }

const std::string &chatMLTemplateSource() {
  static const std::string source =
      "{% for message in messages %}"
      "{{ '<|im_start|>' + message['role'] + '\\n' + "
      "(message['content'] or '') + '<|im_end|>\\n' }}"
      "{% endfor %}"
      "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
      "{% endif %}";
  return source;
}

Result<std::optional<ChatTemplateSource>>
chatTemplateFromConfig(const nlohmann::json &config,
                       const std::string &origin) {
  using json = nlohmann::json;
  if (!config.is_object())
    return Error(origin + ": not a JSON object");
  auto it = config.find("chat_template");
  if (it == config.end() || it->is_null())
    return std::optional<ChatTemplateSource>();
  ChatTemplateSource out;
  out.bosToken = namedToken(config, "bos_token");
  out.eosToken = namedToken(config, "eos_token");
  if (it->is_string()) {
    out.source = it->get<std::string>();
    return std::optional<ChatTemplateSource>(std::move(out));
  }
  if (!it->is_array())
    return Error(origin + ": 'chat_template' must be a string or a list of "
                          "{\"name\", \"template\"}");
  std::vector<std::string> names;
  for (size_t k = 0; k < it->size(); ++k) {
    const json &entry = (*it)[k];
    if (!entry.is_object() || !entry.contains("name") ||
        !entry["name"].is_string() || !entry.contains("template") ||
        !entry["template"].is_string())
      return Error(origin + ": chat_template[" + std::to_string(k) +
                   "] must be an object with string 'name' and 'template'");
    names.push_back(entry["name"].get<std::string>());
    if (names.back() == "default") {
      out.source = entry["template"].get<std::string>();
      return std::optional<ChatTemplateSource>(std::move(out));
    }
  }
  std::string list;
  for (const std::string &n : names)
    list += (list.empty() ? "'" : ", '") + n + "'";
  return Error(origin + ": 'chat_template' lists templates (" +
               (list.empty() ? std::string("none") : list) +
               ") but none named 'default'");
}

std::vector<int32_t> encodeChatPrompt(const Tokenizer &tokenizer,
                                      std::string_view text) {
  std::vector<int32_t> withSpecial = tokenizer.encode(text, true);
  std::vector<int32_t> plain = tokenizer.encode(text, false);
  // The post-processor's template around the text: the tokens it puts in
  // front are those before `plain` inside `withSpecial`.
  if (withSpecial.size() <= plain.size())
    return withSpecial;
  size_t front = 0;
  for (; front + plain.size() <= withSpecial.size(); ++front)
    if (std::equal(plain.begin(), plain.end(),
                   withSpecial.begin() + long(front)))
      break;
  if (front == 0 || front + plain.size() > withSpecial.size())
    return withSpecial;
  if (plain.size() >= front &&
      std::equal(withSpecial.begin(), withSpecial.begin() + long(front),
                 plain.begin()))
    withSpecial.erase(withSpecial.begin(), withSpecial.begin() + long(front));
  return withSpecial;
}

} // namespace mamba::text
