//===- ChatTemplateFuzzer.cpp - fuzz chat template parsing and rendering --===//
//
// The input is a chat template. It must parse or fail with a message that
// names it; one that parses is rendered over a fixed conversation (strings,
// null content, tool calls, nested values) with small limits, and must
// render or fail the same way, never crash, hang or grow without bound.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/ChatTemplate.h"

#include <cstdlib>

using mamba::text::ChatTemplate;
using mamba::text::ChatTemplateLimits;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const nlohmann::ordered_json context = nlohmann::ordered_json::parse(
      R"({"messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Héllo ✓ {{ x }} <|im_end|>"},
            {"role": "assistant", "content": null, "tool_calls": [
              {"type": "function", "function": {"name": "f",
               "arguments": {"a": [1, 2.5, true, null], "b": {"c": "d"}}}}]},
            {"role": "tool", "content": ""},
            {"role": "user", "content": "  two\nlines  "}],
          "tools": [{"type": "function", "function": {"name": "f"}}],
          "bos_token": "<s>", "eos_token": "</s>",
          "add_generation_prompt": true, "n": -7, "f": 0.5})");
  std::string source(reinterpret_cast<const char *>(data), size);
  mamba::Result<ChatTemplate> t = ChatTemplate::parse(source, "t.jinja");
  if (!t.ok()) {
    if (t.error().rfind("t.jinja", 0) != 0)
      std::abort(); // every error names the template
    return 0;
  }
  ChatTemplateLimits limits;
  limits.maxIterations = 20000;
  limits.maxOutputBytes = 1 << 16;
  limits.maxWorkBytes = 4 << 20;
  limits.maxDepth = 100;
  limits.now = 1718454896;
  mamba::Result<std::string> out = t->render(context, limits);
  if (!out.ok() && out.error().rfind("t.jinja", 0) != 0)
    std::abort();
  if (out.ok() && out->size() > limits.maxOutputBytes)
    std::abort(); // the output limit holds
  return 0;
}
