//===- ChatTemplateTest.cpp - chat templates against Jinja2 ---------------===//
//
// test/data/text/chat-templates.json holds templates in the styles of models'
// chat templates and one-rule templates, each rendered over lists of messages
// by real Jinja2 (scripts/render-chat-templates.py, set up as transformers
// sets it up): the engine must give the same text, or fail where Jinja2
// failed. The other tests check the errors: each names the origin, the line
// and column, and the rule; the limits stop runaway templates.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/ChatTemplate.h"

#include "TestData.h"

#include <cstdlib>
#include <thread>

using namespace mamba;
using namespace mamba::text;
using namespace mamba::text::test;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

/// The template of `source`, or a test failure.
std::optional<ChatTemplate> parsed(const std::string &source,
                                   const std::string &origin = "t.jinja") {
  Result<ChatTemplate> t = ChatTemplate::parse(source, origin);
  if (!t.ok()) {
    ADD_FAILURE() << t.error();
    return std::nullopt;
  }
  return t.take();
}

std::string render(const std::string &source, const ojson &context = {},
                   const ChatTemplateLimits &limits = {}) {
  std::optional<ChatTemplate> t = parsed(source);
  if (!t)
    return "<parse error>";
  Result<std::string> out =
      t->render(context.is_null() ? ojson::object() : context, limits);
  if (!out.ok()) {
    ADD_FAILURE() << out.error();
    return "<render error>";
  }
  return *out;
}

/// The message of the parse error of `source`.
std::string parseError(const std::string &source,
                       const std::string &origin = "t.jinja") {
  Result<ChatTemplate> t = ChatTemplate::parse(source, origin);
  if (t.ok()) {
    ADD_FAILURE() << "parsed: " << source;
    return "";
  }
  return t.error();
}

/// The message of the render error of `source`.
std::string renderError(const std::string &source, const ojson &context = {},
                        const ChatTemplateLimits &limits = {}) {
  std::optional<ChatTemplate> t = parsed(source);
  if (!t)
    return "";
  Result<std::string> out =
      t->render(context.is_null() ? ojson::object() : context, limits);
  if (out.ok()) {
    ADD_FAILURE() << "rendered: " << source << " -> " << *out;
    return "";
  }
  return out.error();
}

#define EXPECT_HAS(haystack, needle)                                           \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (needle) << "' not in: " << (haystack)

//===----------------------------------------------------------------------===//
// Agreement with Jinja2
//===----------------------------------------------------------------------===//

TEST(ChatTemplateJinja, RendersAsJinja2Does) {
  // strftime_now() formats the file's fixed time in UTC.
  setenv("TZ", "UTC", 1);
  tzset();
  ojson data =
      ojson::parse(readText(dataPath("chat-templates.json")), nullptr, false);
  ASSERT_TRUE(data.is_object()) << "chat-templates.json is missing or broken";
  ChatTemplateLimits limits;
  limits.now = data["now"].get<std::time_t>();
  const ojson &cases = data["cases"];
  ASSERT_GT(cases.size(), 300u);
  size_t rendered = 0, refused = 0, index = 0;
  for (const ojson &c : cases) {
    std::string name = c.contains("template")
                           ? c["template"].get<std::string>()
                           : "snippet " + std::to_string(index);
    ++index;
    std::string source =
        c.contains("template")
            ? data["templates"][c["template"].get<std::string>()]
                  .get<std::string>()
            : c["source"].get<std::string>();
    SCOPED_TRACE(name + ": " + c["context"].dump().substr(0, 300));
    Result<ChatTemplate> t = ChatTemplate::parse(source, name);
    ASSERT_TRUE(t.ok()) << t.error();
    Result<std::string> out = t->render(c["context"], limits);
    if (c.contains("expected")) {
      ASSERT_TRUE(out.ok()) << out.error();
      EXPECT_EQ(*out, c["expected"].get<std::string>());
      ++rendered;
    } else {
      ASSERT_FALSE(out.ok()) << "Jinja2 failed (" << c["error"] << ") but "
                             << "this rendered: " << *out;
      if (c.value("match_error", false)) {
        EXPECT_HAS(out.error(), c["error"].get<std::string>());
      }
      ++refused;
    }
  }
  // Every template of the file rendered some conversation.
  for (auto it = data["templates"].begin(); it != data["templates"].end();
       ++it) {
    bool used = false;
    for (const ojson &c : cases)
      used = used ||
             (c.value("template", "") == it.key() && c.contains("expected"));
    EXPECT_TRUE(used) << it.key();
  }
  EXPECT_GT(rendered, 250u);
  EXPECT_GT(refused, 30u);
}

TEST(ChatTemplateJinja, ChatMLBuiltin) {
  ojson context = {{"messages",
                    {{{"role", "system"}, {"content", "Be brief."}},
                     {{"role", "user"}, {"content", "Hi"}}}},
                   {"add_generation_prompt", true}};
  EXPECT_EQ(render(chatMLTemplateSource(), context),
            "<|im_start|>system\nBe brief.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  context["add_generation_prompt"] = false;
  context["messages"][1]["content"] = nullptr;
  EXPECT_EQ(render(chatMLTemplateSource(), context),
            "<|im_start|>system\nBe brief.<|im_end|>\n"
            "<|im_start|>user\n<|im_end|>\n");
}

TEST(ChatTemplateJinja, ContextKeepsKeyOrder) {
  const char *source = "{{ tools|tojson }} {% for k in tools[0] %}{{ k }}"
                       "{% endfor %}";
  ojson ordered = ojson::parse(R"({"tools": [{"z": 1, "a": 2}]})");
  EXPECT_EQ(render(source, ordered), "[{\"z\": 1, \"a\": 2}] za");
  // nlohmann::json sorts its keys; that order is what a template sees.
  std::optional<ChatTemplate> t = parsed(source);
  ASSERT_TRUE(t);
  Result<std::string> sorted =
      t->render(json::parse(R"({"tools": [{"z": 1, "a": 2}]})"));
  ASSERT_TRUE(sorted.ok()) << sorted.error();
  EXPECT_EQ(*sorted, "[{\"a\": 2, \"z\": 1}] az");
}

TEST(ChatTemplateJinja, SharedAcrossThreads) {
  std::optional<ChatTemplate> t =
      parsed("{% for m in messages %}{{ loop.index }}:{{ m.content|upper }};"
             "{% endfor %}");
  ASSERT_TRUE(t);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int j = 0; j < 200; ++j) {
        ojson context = {
            {"messages",
             {{{"content", "a" + std::to_string(k)}}, {{"content", "b"}}}}};
        Result<std::string> out = t->render(context);
        if (!out.ok() || *out != "1:A" + std::to_string(k) + ";2:B;")
          ++wrong;
      }
    });
  for (std::thread &th : threads)
    th.join();
  EXPECT_EQ(wrong.load(), 0);
}

//===----------------------------------------------------------------------===//
// Parse errors: origin, line:column, rule
//===----------------------------------------------------------------------===//

TEST(ChatTemplateErrors, UnknownFilterNamesOriginLineAndColumn) {
  EXPECT_EQ(parseError("{% for m in messages %}\n"
                       "  {{ m.role }}\n"
                       "  {{ m.content|foo }}\n"
                       "{% endfor %}",
                       "tokenizer_config.json: chat_template"),
            "tokenizer_config.json: chat_template 3:16: unknown filter 'foo'");
  EXPECT_EQ(parseError("{{ x is foo }}"), "t.jinja 1:9: unknown test 'foo'");
  // Unicode counts as one column per character.
  EXPECT_EQ(parseError("é日{{ x|nope }}"),
            "t.jinja 1:8: unknown filter 'nope'");
}

TEST(ChatTemplateErrors, BadSyntax) {
  EXPECT_EQ(parseError("a\n{{ 1 + }}"),
            "t.jinja 2:8: expected an expression, got '}}'");
  EXPECT_EQ(parseError("{% if %}x{% endif %}"),
            "t.jinja 1:7: expected an expression, got '%}'");
  EXPECT_EQ(parseError("{{ 'abc }}"), "t.jinja 1:4: unterminated string");
  EXPECT_EQ(parseError("{{ (1 ] }}"),
            "t.jinja 1:7: unexpected ']', expected ')'");
  EXPECT_EQ(parseError("{{ x y }}"), "t.jinja 1:6: expected '}}', got 'y'");
  EXPECT_EQ(parseError("{{ a ! b }}"), "t.jinja 1:6: unexpected character '!'");
  EXPECT_EQ(parseError("{{ 99999999999999999999 }}"),
            "t.jinja 1:4: integer 99999999999999999999 does not fit in 64 "
            "bits");
  EXPECT_EQ(parseError("{% set true = 1 %}"),
            "t.jinja 1:8: cannot assign to 'true'");
  EXPECT_EQ(parseError("{% frobnicate %}"),
            "t.jinja 1:4: unknown tag 'frobnicate'");
  EXPECT_EQ(parseError("{% include 'x.jinja' %}"),
            "t.jinja 1:4: the 'include' tag is not supported");
  EXPECT_EQ(parseError("{% break %}"),
            "t.jinja 1:4: 'break' outside of a for loop");
  EXPECT_EQ(parseError("{% for x in y recursive %}{% endfor %}"),
            "t.jinja 1:15: recursive loops are not supported");
  EXPECT_EQ(parseError("{{ 'a\\N{DASH}' }}"),
            "t.jinja 1:6: \\N{...} escapes are not supported");
  EXPECT_EQ(parseError("ok\n\xff"), "t.jinja 2:1: the template is not valid "
                                    "UTF-8");
}

TEST(ChatTemplateErrors, UnclosedBlocksAndTags) {
  EXPECT_EQ(parseError("line\n  {% for x in xs %}{{ x }}"),
            "t.jinja 2:6: unclosed 'for': the template ends before 'else' or "
            "'endfor'");
  EXPECT_EQ(parseError("{% if a %}{% elif b %}{% else %}"),
            "t.jinja 1:4: unclosed 'if': the template ends before 'endif'");
  EXPECT_EQ(parseError("{% macro m() %}x"),
            "t.jinja 1:4: unclosed 'macro': the template ends before "
            "'endmacro'");
  EXPECT_EQ(parseError("{% if a %}\n{% endfor %}"),
            "t.jinja 2:4: unexpected 'endfor': the innermost open block is "
            "'if' (at 1:4), which ends with 'elif', 'else' or 'endif'");
  EXPECT_EQ(parseError("{% endif %}"),
            "t.jinja 1:4: unexpected 'endif': no block is open");
  EXPECT_EQ(parseError("a {{ x "), "t.jinja 1:3: unclosed '{{' (no '}}')");
  EXPECT_EQ(parseError("a\n {% if x"), "t.jinja 2:2: unclosed '{%' (no '%}')");
  EXPECT_EQ(parseError("{# note"), "t.jinja 1:1: unclosed comment (no '#}')");
  EXPECT_EQ(parseError("{% raw %}x"),
            "t.jinja 1:1: unclosed '{% raw %}' (no '{% endraw %}')");
}

TEST(ChatTemplateErrors, DeepNestingIsAParseError) {
  std::string deep =
      "{{ " + std::string(500, '(') + "1" + std::string(500, ')') + " }}";
  EXPECT_HAS(parseError(deep), "nests deeper than");
  std::string ifs;
  for (int k = 0; k < 300; ++k)
    ifs += "{% if true %}";
  EXPECT_HAS(parseError(ifs), "nests deeper than");
}

//===----------------------------------------------------------------------===//
// Render errors and limits
//===----------------------------------------------------------------------===//

TEST(ChatTemplateErrors, RaiseExceptionCarriesTheTemplatesMessage) {
  EXPECT_EQ(renderError("{% for m in messages %}\n"
                        "{% if m.role == 'tool' %}"
                        "{{ raise_exception('no tools here: ' ~ m.role) }}"
                        "{% endif %}{% endfor %}",
                        {{"messages", {{{"role", "tool"}}}}}),
            "t.jinja 2:29: no tools here: tool");
}

TEST(ChatTemplateErrors, RenderErrorsNameThePlace) {
  EXPECT_EQ(renderError("x\n  {{ foo.bar }}"),
            "t.jinja 2:6: 'foo' is undefined");
  EXPECT_EQ(renderError("{{ 1 + 'a' }}"),
            "t.jinja 1:6: unsupported operand type(s) for +: 'int' and 'str'");
  EXPECT_EQ(renderError("{{ 'a'.nope() }}"),
            "t.jinja 1:8: 'str object' has no attribute 'nope'");
  EXPECT_EQ(renderError("{{ range(1, 2, 0) }}"),
            "t.jinja 1:4: range() arg 3 must not be zero");
  EXPECT_EQ(renderError("{{ nothing() }}"),
            "t.jinja 1:4: 'nothing' is undefined");
  EXPECT_EQ(renderError("{% set ns = namespace(a=1) %}"
                        "{% set ns.b = namespace() %}"),
            "t.jinja 1:37: a namespace cannot hold another namespace here");
  std::optional<ChatTemplate> t = parsed("{{ x }}");
  ASSERT_TRUE(t);
  Result<std::string> notObject = t->render(ojson::array());
  ASSERT_FALSE(notObject.ok());
  EXPECT_EQ(notObject.error(), "t.jinja: the variables must be a JSON object");
}

TEST(ChatTemplateLimitsTest, RunawayLoopIsCapped) {
  ChatTemplateLimits limits;
  limits.maxIterations = 5000;
  std::string e = renderError("{% for i in range(100) %}\n"
                              "  {% for j in range(100) %}{% endfor %}\n"
                              "{% endfor %}",
                              {}, limits);
  EXPECT_EQ(e, "t.jinja 2:6: the template ran more than 5000 loop iterations "
               "and macro calls (a loop without end?)");
  // The default cap: a million.
  e = renderError("{% for i in range(100000) %}{% for j in range(100000) %}"
                  "{% endfor %}{% endfor %}");
  EXPECT_HAS(e, "t.jinja 1:32: the template ran more than 1000000 loop");
  // A macro that calls itself twice per level: stopped by the count too.
  e = renderError("{% macro m(n) %}{{ m(n + 1) }}{{ m(n + 1) }}{% endmacro %}"
                  "{{ m(0) }}",
                  {}, limits);
  EXPECT_HAS(e, "nests deeper than 200 levels");
}

TEST(ChatTemplateLimitsTest, RecursionIsCapped) {
  ChatTemplateLimits limits;
  limits.maxDepth = 50;
  std::string e = renderError("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}"
                              "{{ m(0) }}",
                              {}, limits);
  EXPECT_HAS(e, "t.jinja 1:20: the template nests deeper than 50 levels");
  // Values that keep nesting.
  e = renderError("{% set ns = namespace(v=[]) %}{% for i in range(1000) %}"
                  "{% set ns.v = [ns.v] %}{% endfor %}",
                  {}, limits);
  EXPECT_HAS(e, "values nest deeper than 50 levels");
  // Variables nested too deeply to walk.
  ojson deep = ojson::array();
  for (int k = 0; k < 60; ++k)
    deep = ojson::array({deep});
  e = renderError("{{ x }}", {{"x", deep}}, limits);
  EXPECT_EQ(e, "t.jinja: the variables nest deeper than 50 levels");
}

TEST(ChatTemplateLimitsTest, OutputAndValuesAreCapped) {
  ChatTemplateLimits limits;
  limits.maxOutputBytes = 1000;
  EXPECT_EQ(renderError("{% for i in range(200) %}0123456789{% endfor %}", {},
                        limits),
            "t.jinja 1:26: the output is longer than the limit of 1000 bytes");
  EXPECT_EQ(renderError("{{ 'x' * 5000 }}", {}, limits),
            "t.jinja 1:8: repeating 1 bytes 5000 times is past the limit of "
            "1000");
  EXPECT_HAS(renderError("{% set ns = namespace(s='ab') %}"
                         "{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}"
                         "{% endfor %}",
                         {}, limits),
             "bytes is longer than the limit of 1000");
  // A string that grows a little per iteration: stopped by the work cap
  // long before it gets large.
  limits = ChatTemplateLimits();
  limits.maxWorkBytes = 1 << 20;
  EXPECT_HAS(renderError("{% set ns = namespace(s='') %}"
                         "{% for i in range(100000) %}"
                         "{% set ns.s = ns.s ~ 'abcdefghij' %}{% endfor %}",
                         {}, limits),
             "the template built more than 1048576 bytes of values");
  EXPECT_HAS(renderError("{{ range(100001) }}"),
             "range too big: the sandbox allows at most 100000 items");
}

TEST(ChatTemplateLimitsTest, HugeCountsAndStepsEndAtOnce) {
  // Repeating nothing a huge number of times, a slice or a range whose step
  // passes the end of int64: no loop over the count, no overflow.
  EXPECT_EQ(render("{{ ([] * 9223372036854775807)|length }}"
                   "[{{ '' * 9223372036854775807 }}]"
                   "{{ ([1] * 0 * 9223372036854775807)|length }}"),
            "0[]0");
  EXPECT_EQ(render("{{ [1, 2, 3][1::9223372036854775807] }} "
                   "{{ 'abc'[2::-9223372036854775807] }} "
                   "{{ range(0, 10, 9223372036854775807)|list }} "
                   "{{ range(9223372036854775807, 0, -9223372036854775807)"
                   "|list }}"),
            "[2] c [0] [9223372036854775807]");
}

//===----------------------------------------------------------------------===//
// tokenizer_config.json and the prompt's ids
//===----------------------------------------------------------------------===//

TEST(ChatTemplateConfig, StringOrNamedList) {
  Result<std::optional<ChatTemplateSource>> s = chatTemplateFromConfig(
      json::parse(R"({"chat_template": "{{ x }}", "bos_token": "<s>",
                      "eos_token": {"content": "</s>", "special": true}})"),
      "tc.json");
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->source, "{{ x }}");
  EXPECT_EQ((*s)->bosToken, "<s>");
  EXPECT_EQ((*s)->eosToken, "</s>");

  s = chatTemplateFromConfig(
      json::parse(R"({"chat_template": [{"name": "tool_use", "template": "T"},
                                        {"name": "default", "template": "D"}],
                      "bos_token": null})"),
      "tc.json");
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->source, "D");
  EXPECT_FALSE((*s)->bosToken);
  EXPECT_FALSE((*s)->eosToken);

  s = chatTemplateFromConfig(json::parse(R"({"eos_token": "</s>"})"),
                             "tc.json");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_FALSE(s->has_value());

  s = chatTemplateFromConfig(
      json::parse(R"({"chat_template": [{"name": "rag", "template": "R"}]})"),
      "tc.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "tc.json: 'chat_template' lists templates ('rag') but "
                       "none named 'default'");
  s = chatTemplateFromConfig(json::parse(R"({"chat_template": [{"name": 1}]})"),
                             "tc.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "tc.json: chat_template[0] must be an object with "
                       "string 'name' and 'template'");
  s = chatTemplateFromConfig(json::parse(R"({"chat_template": 3})"), "tc.json");
  ASSERT_FALSE(s.ok());
  EXPECT_HAS(s.error(), "must be a string or a list");
}

TEST(ChatTemplateConfig, BosIsNotAddedTwice) {
  // A post-processor that puts <|endoftext|> (id 0) in front of every text.
  json config = tinyJson();
  config["post_processor"] = json::parse(R"({
    "type": "TemplateProcessing",
    "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
               {"Sequence": {"id": "A", "type_id": 0}}],
    "pair": [],
    "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [0],
                                         "tokens": ["<|endoftext|>"]}}})");
  std::optional<Tokenizer> tok = load(config);
  ASSERT_TRUE(tok);
  using Ids = std::vector<int32_t>;
  EXPECT_EQ(tok->encode("<|endoftext|>hello"), (Ids{0, 0, 263}));
  EXPECT_EQ(encodeChatPrompt(*tok, "<|endoftext|>hello"), (Ids{0, 263}));
  EXPECT_EQ(encodeChatPrompt(*tok, "hello"), (Ids{0, 263}));
  EXPECT_EQ(encodeChatPrompt(*tok, "hello<|endoftext|>"), (Ids{0, 263, 0}));
  // Without a post-processor the text's own tokens are all there is.
  std::optional<Tokenizer> plain = load(tinyJson());
  ASSERT_TRUE(plain);
  EXPECT_EQ(encodeChatPrompt(*plain, "<|endoftext|>hello"), (Ids{0, 263}));
  EXPECT_EQ(encodeChatPrompt(*plain, "hello"), (Ids{263}));
}

} // namespace
