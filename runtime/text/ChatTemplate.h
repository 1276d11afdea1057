//===- ChatTemplate.h - Hugging Face chat templates (Jinja2) ----*- C++ -*-===//
//
// A model's chat template, the `chat_template` of its tokenizer_config.json,
// is a Jinja2 template that turns a list of messages into the prompt text.
// This is an interpreter for the part of Jinja2 that chat templates use,
// rendering as the `transformers` library does: Jinja2 with trim_blocks and
// lstrip_blocks, the loopcontrols extension (break, continue), the
// `raise_exception` and `strftime_now` globals, and a `tojson` that keeps
// non-ASCII text and the order of keys. Undefined names behave as Jinja's
// default Undefined: they print as nothing and are false, but any other use
// (an attribute of one, arithmetic, a call) is an error.
//
// What it understands:
//   text, {{ expr }}, {# comments #}, whitespace control ({%- -%} {{- -}}
//   {%+ +%}), {% raw %};
//   {% if/elif/else %}, {% for x in xs [if cond] %} ... {% else %} (loop.index,
//   index0, revindex, revindex0, first, last, length, previtem, nextitem,
//   depth, cycle()), {% break %}, {% continue %}, {% set x = ... %},
//   {% set a, b = ... %}, {% set ns.attr = ... %}, {% set x %}...{% endset %},
//   {% macro %} and calls of macros, {% filter %}, {% with %},
//   {% generation %};
//   literals (strings with Python escapes, integers, floats, true/false/none
//   in both cases, lists, tuples, dicts), attributes, subscripts, slices,
//   + - * / // % ** ~, comparisons (chained), and/or/not, in/not in,
//   `a if c else b`, filters and tests (below), calls;
//   functions range, dict, namespace, raise_exception, strftime_now;
//   string methods strip lstrip rstrip startswith endswith split rsplit
//   upper lower title capitalize replace find count join, and dict methods
//   items keys values get.
//
// Filters: abs capitalize count default (d) dictsort escape (e) first float
// indent int items join last length list lower map max min reject rejectattr
// replace reverse round safe select selectattr sort string sum title tojson
// trim unique upper.
// Tests: boolean callable defined divisibleby eq equalto even false float ge
// gt in integer iterable le lower lt mapping ne none number odd sameas
// sequence string true undefined upper, and == != < <= > >=.
//
// An unknown tag, filter or test is a parse error. Errors name the origin
// given to parse(), the line and column, and the rule:
//   "tokenizer_config.json: chat_template 3:14: unknown filter 'foo'".
// Rendering is bounded (ChatTemplateLimits): loop iterations, nesting depth,
// the size of the output and of every value built; past a limit it fails
// with a message that names it. Nothing throws.
//
// A ChatTemplate is immutable after parsing; copies share the parsed program
// and render may be called from many threads at once.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_TEXT_CHATTEMPLATE_H
#define MAMBA_RUNTIME_TEXT_CHATTEMPLATE_H

#include "runtime/Result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamba::text {

class Tokenizer;

/// Bounds of one render.
struct ChatTemplateLimits {
  /// Loop iterations (items a `for` visits, its `if` filter included) plus
  /// macro calls, over the whole render.
  int64_t maxIterations = 1000000;
  /// Nested evaluation: expressions, blocks and macro calls inside each
  /// other.
  int maxDepth = 200;
  /// The rendered text, and any one string or list (in items) built on the
  /// way.
  size_t maxOutputBytes = 16 << 20;
  /// All strings and lists built during the render together, in bytes (a
  /// loop that keeps growing a string is stopped here).
  size_t maxWorkBytes = size_t(512) << 20;
  /// What strftime_now() formats; 0: the current time.
  std::time_t now = 0;
};

class ChatTemplate {
public:
  /// Parses a template. `origin` names it in error messages, e.g.
  /// "models/x/tokenizer_config.json: chat_template".
  static Result<ChatTemplate> parse(std::string source, std::string origin);

  /// Renders with the members of `context` (an object) as variables: for a
  /// chat template `messages`, `add_generation_prompt`, `bos_token`,
  /// `eos_token`, and whatever else the template reads (`tools`, ...).
  /// Objects keep their order of keys.
  Result<std::string> render(const nlohmann::ordered_json &context,
                             const ChatTemplateLimits &limits = {}) const;
  Result<std::string> render(const nlohmann::json &context,
                             const ChatTemplateLimits &limits = {}) const;

  const std::string &origin() const;

  /// The parsed program, defined in ChatTemplate.cpp.
  struct Program;

private:
  explicit ChatTemplate(std::shared_ptr<const Program> program)
      : program_(std::move(program)) {}
  std::shared_ptr<const Program> program_;
};

/// ChatML: "<|im_start|>ROLE\nCONTENT<|im_end|>\n" for each message, then
/// "<|im_start|>assistant\n" when add_generation_prompt is true.
const std::string &chatMLTemplateSource();

/// The chat template of a tokenizer_config.json and the special tokens it
/// passes to it.
struct ChatTemplateSource {
  std::string source;
  /// "bos_token"/"eos_token" of the file, when they name a token (a string,
  /// or an object with a string "content").
  std::optional<std::string> bosToken, eosToken;
};

/// Reads the `chat_template` of a parsed tokenizer_config.json: a string, or
/// a list of {"name", "template"} from which the one named "default" is
/// taken. Nullopt when the file has none; an error (naming `origin`) when it
/// is malformed or a list has no "default".
Result<std::optional<ChatTemplateSource>>
chatTemplateFromConfig(const nlohmann::json &config, const std::string &origin);

/// The ids of a rendered chat prompt. The tokenizer's post-processor adds its
/// special tokens as for any prompt, except that the tokens it would put in
/// front (a BOS) are left out when the rendered text already begins with
/// them, so that a template that writes `{{ bos_token }}` does not get two.
std::vector<int32_t> encodeChatPrompt(const Tokenizer &tokenizer,
                                      std::string_view text);

} // namespace mamba::text

#endif // MAMBA_RUNTIME_TEXT_CHATTEMPLATE_H
