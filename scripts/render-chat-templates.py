#!/usr/bin/env python3
"""Renders chat templates with real Jinja2 for ChatTemplateTest.

Writes test/data/text/chat-templates.json: templates written in the styles
of Hugging Face models' chat templates, and small templates that each
exercise one rule of the Jinja2 subset, rendered over lists of messages with
Jinja2 set up as the `transformers` library sets it up for
`apply_chat_template`:

  ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                extensions=[loopcontrols, <generation tag>])
  filters["tojson"] = json.dumps(x, ensure_ascii=False, indent=indent, ...)
  globals["raise_exception"], globals["strftime_now"]

Each case records the template, the variables and either the text Jinja2
rendered or the message of the error it raised. The C++ engine
(runtime/text/ChatTemplate.cpp) must give the same text, or fail; the test
checks the message where `match_error` is set. CI needs no Jinja2: the JSON
file is committed.

usage: scripts/render-chat-templates.py [OUT.json]
"""

import datetime
import json
import os
import sys

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

# strftime_now() formats this instant, in UTC (the test sets TZ=UTC).
NOW = 1718454896  # 2024-06-15 12:34:56 UTC


class GenerationTag(Extension):
    """transformers' {% generation %}: renders its body (and, there, marks
    the assistant's tokens)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"],
                                       drop_needle=True)
        call = self.call_method("_render", [])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


class TemplateRaised(Exception):
    pass


def raise_exception(message):
    raise TemplateRaised(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None,
           sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent,
                      separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.datetime.fromtimestamp(
        NOW, datetime.timezone.utc).strftime(format)


def environment():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True,
        extensions=[GenerationTag, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


# Templates in the styles of models' chat templates (written for this test).
TEMPLATES = {}

TEMPLATES["chatml"] = """\
{% for message in messages %}
{% if loop.first and messages[0]['role'] != 'system' %}
{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}
{% endif %}
{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}
{% endfor %}
{% if add_generation_prompt %}
{{ '<|im_start|>assistant\\n' }}
{% endif %}
"""

TEMPLATES["llama2"] = """\
{% if messages[0]['role'] == 'system' %}
    {% set loop_messages = messages[1:] %}
    {% set system_message = messages[0]['content'] %}
{% else %}
    {% set loop_messages = messages %}
    {% set system_message = false %}
{% endif %}
{% for message in loop_messages %}
    {% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
        {{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}
    {% endif %}
    {% if loop.index0 == 0 and system_message != false %}
        {% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}
    {% else %}
        {% set content = message['content'] %}
    {% endif %}
    {% if message['role'] == 'user' %}
        {{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}
    {% elif message['role'] == 'assistant' %}
        {{ ' '  + content.strip() + ' ' + eos_token }}
    {% endif %}
{% endfor %}
"""

TEMPLATES["zephyr"] = """\
{% for message in messages %}
{% if message['role'] == 'user' %}
{{ '<|user|>\\n' + message['content'] + eos_token }}
{% elif message['role'] == 'system' %}
{{ '<|system|>\\n' + message['content'] + eos_token }}
{% elif message['role'] == 'assistant' %}
{{ '<|assistant|>\\n'  + message['content'] + eos_token }}
{% endif %}
{% if loop.last and add_generation_prompt %}
{{ '<|assistant|>' }}
{% endif %}
{% endfor %}"""

TEMPLATES["gemma"] = """\
{{ bos_token }}
{% if messages[0]['role'] == 'system' %}
    {{ raise_exception('System role not supported') }}
{% endif %}
{% for message in messages %}
    {% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
        {{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}
    {% endif %}
    {% if (message['role'] == 'assistant') %}
        {% set role = 'model' %}
    {% else %}
        {% set role = message['role'] %}
    {% endif %}
    {{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}
{% endfor %}
{% if add_generation_prompt %}
    {{'<start_of_turn>model\\n'}}
{% endif %}
"""

TEMPLATES["llama3"] = """\
{% set loop_messages = messages %}
{% for message in loop_messages %}
{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}
{% if loop.index0 == 0 %}
{% set content = bos_token + content %}
{% endif %}
{{ content }}
{% endfor %}
{% if add_generation_prompt %}
{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{% endif %}"""

TEMPLATES["mistral"] = """\
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content'] %}
    {%- set loop_messages = messages[1:] %}
{%- else %}
    {%- set loop_messages = messages %}
{%- endif %}
{%- set ns = namespace(index=0, last_user=-1) %}
{%- for message in loop_messages %}
    {%- if message.role == 'user' %}
        {%- set ns.last_user = loop.index0 %}
    {%- endif %}
{%- endfor %}

{{- bos_token }}
{%- for message in loop_messages %}
    {%- if (message['role'] == 'user') != (ns.index % 2 == 0) %}
        {{- raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}
    {%- endif %}
    {%- set ns.index = ns.index + 1 %}
    {%- if message['role'] == 'user' %}
        {%- if loop.index0 == ns.last_user and system_message is defined %}
            {{- '[INST] ' + system_message + '\\n\\n' + message['content'] + '[/INST]' }}
        {%- else %}
            {{- '[INST] ' + message['content'] + '[/INST]' }}
        {%- endif %}
    {%- elif message['role'] == 'assistant' %}
        {{- ' ' + message['content'] + eos_token if not loop.last else ' ' + message['content'] + eos_token }}
    {%- else %}
        {{- raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}
    {%- endif %}
{%- endfor %}
"""

TEMPLATES["phi3"] = """\
{% for message in messages %}
{% if message['role'] == 'system' %}
{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}
{% elif message['role'] == 'user' %}
{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}
{% elif message['role'] == 'assistant' %}
{{'<|assistant|>\\n' + message['content'] + '<|end|>\\n'}}
{% endif %}
{% endfor %}
{% if add_generation_prompt %}
{{ '<|assistant|>\\n' }}
{% else %}
{{ eos_token }}
{% endif %}"""

TEMPLATES["tools"] = """\
{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\\n\\n' }}
    {%- endif %}
    {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and message.content is string and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if message.content is string %}
        {%- set content = message.content %}
    {%- else %}
        {%- set content = '' %}
    {%- endif %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {%- set reasoning_content = '' %}
        {%- if '</think>' in content %}
            {%- set reasoning_content = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}
            {%- set content = content.split('</think>')[-1].lstrip('\\n') %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index and (loop.last or (not loop.last and reasoning_content)) %}
            {{- '<|im_start|>' + message.role + '\\n<think>\\n' + reasoning_content.strip('\\n') + '\\n</think>\\n\\n' + content.lstrip('\\n') }}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\\n\\n</think>\\n\\n' }}
    {%- endif %}
{%- endif %}
"""

TEMPLATES["llama31_tools"] = """\
{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- set date_string = strftime_now("%d %b %Y") %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message #}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if tools is not none %}
    {{- "Environment: ipython\\n" }}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}

{#- Custom tools are passed in a user message with some extra guidance #}
{%- if tools_in_user_message and not tools is none %}
    {#- Extract the first user message so we can plug it in here #}
    {%- if messages | length != 0 %}
        {%- set first_user_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
{%- endif %}
    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
    {{- "Given the following functions, please respond with a JSON for a function call " }}
    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
    {{- first_user_message + "<|eot_id|>"}}
{%- endif %}

{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
        {{- '{"name": "' + tool_call.name + '", ' }}
        {{- '"parameters": ' }}
        {{- tool_call.arguments | tojson }}
        {{- "}" }}
        {{- "<|eot_id|>" }}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
"""

# Whitespace control and trim_blocks/lstrip_blocks interplay.
TEMPLATES["whitespace"] = """\
<s>
    {# a comment on its own line #}
    {% for m in messages -%}
        [{{ m.role }}]
        {%- if m.content %}  {{ m.content }}{% endif %}
    {%+ if loop.last %}(last){% endif %}
  {%- endfor %}
  tail {{- ' x ' -}}   {{ 'y' }}
{% if true +%}
kept newline
{%- endif %}
{%raw%}  {{ not a tag }} {% endraw %}
   {#- strip before -#}   end
"""

TEMPLATES["macros"] = """\
{%- macro render(m, prefix='> ') -%}
{{ prefix }}{{ m.role | upper }}: {{ m.content | default('(none)', true) }}
{%- endmacro -%}
{%- macro count_words(text) -%}
{{ text.split() | length }}
{%- endmacro -%}
{%- for m in messages if m.role != 'system' -%}
{{ render(m) }} [{{ count_words(m.content or '') }} words, {{ loop.index }}/{{ loop.length }}]
{% else -%}
no messages
{% endfor -%}
{%- set summary %}{% for m in messages %}{{ m.role[0] }}{% endfor %}{% endset -%}
roles: {{ summary }}{{ '\\n' }}
{%- for k, v in {'a': 1, 'b': [1, 2]}.items() %}{{ k }}={{ v }};{% endfor %}
"""

TEMPLATES["granite_date"] = """\
{%- if messages[0]['role'] == 'system' %}
{%- set system_message = messages[0]['content'] %}
{%- set loop_messages = messages[1:] %}
{%- else %}
{%- set system_message = "Knowledge Cutoff Date: April 2024.\\nToday's Date: " + strftime_now('%B %d, %Y') + ".\\nYou are a helpful assistant." %}
{%- set loop_messages = messages %}
{%- endif %}
{{- '<|start_of_role|>system<|end_of_role|>' + system_message + '<|end_of_text|>\\n' }}
{%- for message in loop_messages %}
{{- '<|start_of_role|>' + message['role'] + '<|end_of_role|>' + message['content'] + '<|end_of_text|>\\n' }}
{%- if loop.last and add_generation_prompt %}
{{- '<|start_of_role|>assistant' }}
{%- if controls %}{{- ' ' + controls | tojson() }}{%- endif %}
{{- '<|end_of_role|>' }}
{%- endif %}
{%- endfor %}"""

TEMPLATES["mistral_tools"] = """\
{%- set user_messages = messages | selectattr('role', 'equalto', 'user') | list %}
{%- set plain = messages | rejectattr('role', 'equalto', 'tool') | selectattr('tool_calls', 'undefined') | list %}
{{- bos_token }}
{%- for message in plain %}
{%- if message.role == 'user' %}
{%- if tools and message == user_messages[-1] %}
{{- '[AVAILABLE_TOOLS] [' }}
{%- for tool in tools %}
{%- set tool = tool.function %}
{{- '{"type": "function", "function": {' }}
{%- for key, val in tool.items() if key != 'return' %}
{%- if val is string %}
{{- '"' + key + '": "' + val + '"' }}
{%- else %}
{{- '"' + key + '": ' + val|tojson }}
{%- endif %}
{%- if not loop.last %}{{- ', ' }}{%- endif %}
{%- endfor %}
{{- '}}' }}
{%- if not loop.last %}{{- ', ' }}{%- else %}{{- ']' }}{%- endif %}
{%- endfor %}
{{- '[/AVAILABLE_TOOLS]' }}
{%- endif %}
{{- '[INST] ' + message.content + '[/INST]' }}
{%- elif message.role == 'assistant' %}
{{- ' ' + message.content | trim + eos_token }}
{%- endif %}
{%- endfor %}
{{- '|' ~ (messages | map(attribute='role') | join(',')) }}
"""

# Message lists.
SYS = {"role": "system", "content": "You are a terse assistant."}
U1 = {"role": "user", "content": "Hello! What is 2+2?"}
A1 = {"role": "assistant", "content": "  4.  "}
U2 = {"role": "user", "content": "And in French?"}
A2 = {"role": "assistant", "content": "Quatre."}
UNI = {"role": "user", "content": "Grüß Gott — 日本語 ✓ 🎉 \"quoted\" \\ back"}
EMPTY = {"role": "user", "content": ""}
TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city, in °C",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"},
                           "days": {"type": "integer", "minimum": 1}},
            "required": ["city"]},
    }}]
TOOL_CALL = {"role": "assistant", "content": None, "tool_calls": [{
    "id": "call_1", "type": "function",
    "function": {"name": "get_weather",
                 "arguments": {"city": "Zürich", "days": 2}}}]}
TOOL_RESULT = {"role": "tool", "content": "{\"temp\": 21.5}"}
THINK = {"role": "assistant",
         "content": "<think>\nLet me see.\n</think>\n\nIt is 21.5 °C."}

CONVERSATIONS = {
    "user": [U1],
    "system_user": [SYS, U1],
    "multi_turn": [U1, A1, U2],
    "system_multi_turn": [SYS, U1, A1, U2, A2],
    "unicode": [UNI],
    "empty_content": [EMPTY],
    "assistant_first": [A1, U1],
    "double_user": [U1, U2],
    "tools": [SYS, U1, TOOL_CALL, TOOL_RESULT, THINK],
}


def conversation_cases():
    cases = []
    for name in TEMPLATES:
        for conv, messages in CONVERSATIONS.items():
            if conv == "tools" and name not in ("tools", "llama31_tools",
                                                "mistral_tools"):
                continue
            for gen in (True, False):
                ctx = {"messages": messages, "bos_token": "<s>",
                       "eos_token": "</s>", "add_generation_prompt": gen}
                if name in ("tools", "llama31_tools", "mistral_tools") and (
                        conv in ("tools", "system_user")):
                    ctx["tools"] = TOOLS
                cases.append({"template": name, "context": ctx})
    cases.append({"template": "tools",
                  "context": {"messages": [U1], "add_generation_prompt": True,
                              "enable_thinking": False}})
    cases.append({"template": "granite_date",
                  "context": {"messages": [U1], "add_generation_prompt": True,
                              "controls": {"length": "short", "b": [1, 2.5]}}})
    return cases


# One-line templates, each about one rule: (template, variables).
M = {"messages": [U1, A1], "d": {"b": 1, "a": [1, 2]}, "s": "  Hello World  ",
     "n": 7, "f": 2.5, "none_var": None, "t": True, "e": "", "l": [3, 1, 2],
     "u": "Grüß 日本"}
SNIPPETS = [
    # Literals and printing.
    ("{{ 'a' }}{{ \"b\" }}{{ 'c' 'd' }}{{ 1 }}{{ 1.5 }}{{ 1e3 }}{{ 1_000 }}", {}),
    ("{{ true }} {{ True }} {{ false }} {{ none }} {{ None }}", {}),
    ("{{ [1, 'a', none, true, 1.5, [2]] }} {{ {'k': 'v', 'n': none} }}", {}),
    ("{{ (1, 2) }} {{ (1,) }} {{ () }} {{ 1, 2 }}", {}),
    ("{{ 'it\\'s' }} {{ [\"it's\", 'a\"b', 'tab\\there', 'nl\\n'] }}", {}),
    ("{{ '\\u00e9\\x41\\101\\\\ \\q' }}", {}),
    ("{{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 1e-5 }} {{ 0.0001 }} "
     "{{ 1/3 }} {{ 2.0 }} {{ -0.0 }} {{ 123456789.125 }}", {}),
    ("{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 00 }}", {}),
    # Arithmetic.
    ("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7 / 2 }} "
     "{{ 2 ** 10 }} {{ 2 ** -1 }} {{ 2 ** 3 ** 2 }}", {}),
    ("{{ -7.5 // 2 }} {{ 7.5 % 2 }} {{ -7.5 % 2 }} {{ 1 + 2 * 3 - 4 }}", {}),
    ("{{ 'ab' * 3 }} {{ 2 * 'x' }} {{ [1] * 3 }} {{ 'a' * -1 }}|", {}),
    ("{{ [1, 2] + [3] }} {{ 'a' + 'b' }} {{ true + 1 }} {{ 1 + 1.5 }}", {}),
    ("{{ 'a' ~ 1 ~ none ~ undefined_thing ~ [1] ~ true }}", {}),
    ("{{ -n }} {{ +n }} {{ - - n }} {{ -f }} {{ -n|abs }}", M),
    ("{{ 1 ~ 2 * 3 }} {{ (1 ~ 2) * 2 }}", {}),
    # Comparisons and logic.
    ("{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 1 == 1.0 }} {{ true == 1 }} "
     "{{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ (1, 2) == [1, 2] }}", {}),
    ("{{ 'ell' in 'hello' }} {{ 2 in [1, 2] }} {{ 'b' in d }} {{ 'z' not in d }}"
     " {{ 'x' in undefined_thing }} {{ not 1 }} {{ not none }}", M),
    ("{{ 0 or 'x' }} {{ 1 and 'y' }} {{ '' or [] }} {{ none and 1 }} "
     "{{ e or 'empty' }}", M),
    ("{{ 'yes' if t else 'no' }} {{ 'yes' if e else 'no' }} "
     "[{{ 'only' if e }}] {{ 1 if false else 2 if true else 3 }}", M),
    # Variables, attributes, subscripts.
    ("{{ messages[0].role }} {{ messages[0]['content'] }} {{ messages[-1].role }}"
     " {{ messages.0.role }} [{{ messages[5] }}] [{{ messages[0].nope }}]", M),
    ("{{ d.a[1] }} {{ d['b'] }} {{ d.get('b') }} {{ d.get('z', 'dflt') }} "
     "{{ d.get('z') }}", M),
    ("{{ l[1:] }} {{ l[:-1] }} {{ l[::-1] }} {{ l[::2] }} {{ l[5:] }} "
     "{{ s[2:7] }} {{ u[1:4] }} {{ u[-1] }} {{ 'abc'[-5:2] }}", M),
    ("[{{ undefined_thing }}] {{ undefined_thing is defined }} "
     "{{ d.z is defined }} {{ d.a is defined }} {{ undefined_thing|length }}",
     M),
    # Filters.
    ("{{ s|trim }}|{{ s|length }}|{{ u|length }}|{{ l|count }}|{{ d|length }}"
     "|{{ s|upper }}|{{ s|lower }}|{{ 'hELLO wORLD'|capitalize }}", M),
    ("{{ 'hello-world (foo) bar'|title }} {{ 'hello-world foo'.title() }} "
     "{{ 'o\\'neil 2nd'.title() }}", {}),
    ("{{ messages|tojson }}", M),
    ("{{ d|tojson(indent=2) }}|{{ []|tojson(indent=2) }}|{{ {}|tojson }}|"
     "{{ 'é\\n\"'|tojson }}|{{ 'é'|tojson(ensure_ascii=true) }}|"
     "{{ d|tojson(sort_keys=true) }}|{{ d|tojson(separators=(',', ':')) }}|"
     "{{ [1.0, 2.5e-7, none, true]|tojson }}", M),
    ("{{ n|string ~ f|string }} {{ l|string }} {{ '42'|int + 1 }} "
     "{{ '4.7'|int }} {{ 'x'|int }} {{ 'x'|int(-1) }} {{ f|int }} "
     "{{ ' 12 '|int }} {{ '0x1A'|int(0, 16) }} {{ '3.25'|float }} "
     "{{ 'x'|float }} {{ n|float }}", M),
    ("{{ undefined_thing|default('d') }} {{ e|default('d') }} "
     "{{ e|default('d', true) }} {{ none_var|default('d') }} "
     "{{ undefined_thing|d('short') }}", M),
    ("{{ l|join }} {{ l|join(', ') }} {{ messages|join('/', attribute='role') }}"
     " {{ 'abc'|join('-') }}", M),
    ("{{ l|first }} {{ l|last }} {{ 'abc'|first }} {{ 'abc'|last }} "
     "[{{ []|first }}] {{ d|list }} {{ 'ab'|list }} {{ l|list }}", M),
    ("{{ 'a-b-c'|replace('-', '+') }} {{ 'a-b-c'|replace('-', '', 1) }} "
     "{{ 'ab'|replace('', '.') }} {{ 5|replace('5', 'five') }}", {}),
    ("{{ '<b>'|safe }} {{ 3|safe ~ 'x' }} {{ '<a & \"b\">'|e }}", {}),
    ("{{ l|reverse|list }} {{ 'abc'|reverse }} {{ l|unique|list }} "
     "{{ ['A', 'a', 'b']|unique|list }} {{ -3|abs }} {{ 2.567|round }} "
     "{{ 2.567|round(2) }} {{ 2.5|round }} {{ 2.561|round(1, 'floor') }} "
     "{{ 2.561|round(1, 'ceil') }}", M),
    ("{{ d|items|list }} {{ d.items()|list }} {{ d.keys()|list }} "
     "{{ d.values()|list }}", M),
    ("{{ messages|selectattr('role', 'equalto', 'user')|list|length }} "
     "{{ messages|rejectattr('role', 'eq', 'user')|map(attribute='role')|list }}"
     " {{ [1, 0, 2, none]|select|list }} {{ [1, 2, 3, 4]|select('odd')|list }}"
     " {{ [1, 2, 3, 4]|reject('even')|list }} {{ ['a', 'B']|map('upper')|list }}"
     " {{ messages|map(attribute='nope', default='x')|list }}", M),
    ("{{ 'line1\\nline2\\n\\nline4'|indent }}|{{ 'a\\nb'|indent(2, true) }}|"
     "{{ 'a\\n\\nb'|indent('>', blank=true) }}", {}),
    # Tests.
    ("{{ n is number }} {{ f is number }} {{ t is number }} {{ s is string }} "
     "{{ d is mapping }} {{ l is mapping }} {{ l is iterable }} "
     "{{ s is iterable }} {{ n is iterable }} {{ none_var is none }} "
     "{{ n is integer }} {{ f is float }} {{ t is boolean }} {{ n is odd }} "
     "{{ n is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }}", M),
    ("{{ n is not none }} {{ undefined_thing is undefined }} "
     "{{ n is eq 7 }} {{ n is gt 3 }} {{ n is lt(3) }} {{ 2 is in l }} "
     "{{ 'abc' is lower }} {{ 'ABC' is upper }} {{ range is callable }} "
     "{{ l is sequence }} {{ none is sameas none }} {{ t is true }} "
     "{{ t is false }}", M),
    # String methods.
    ("[{{ s.strip() }}] [{{ s.lstrip() }}] [{{ s.rstrip() }}] "
     "[{{ 'xxhixx'.strip('x') }}] [{{ s.strip(none) }}]", M),
    ("{{ s.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a b c'.split(' ', 1) }} "
     "{{ 'a b c'.rsplit(' ', 1) }} {{ '  a  b  '.split(none, 1) }} "
     "{{ ''.split() }} {{ ''.split(',') }}", M),
    ("{{ s.startswith('  He') }} {{ s.endswith(('x', '  ')) }} "
     "{{ s.upper() }} {{ s.lower() }} {{ 'hi there'.title() }} "
     "{{ 'hI'.capitalize() }} {{ 'a-b'.replace('-', '=') }} "
     "{{ 'banana'.find('an') }} {{ 'banana'.count('an') }} "
     "{{ '-'.join(['a', 'b']) }} {{ u.upper() }} {{ u.find('日') }}", M),
    # Statements.
    ("{% for x in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
     "{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}"
     "[{{ loop.previtem }}|{{ loop.nextitem }}]{{ loop.cycle('a', 'b') }};"
     "{% endfor %}", M),
    ("{% for x in [] %}x{% else %}empty{% endfor %} "
     "{% for x in l if x > 1 %}{{ x }}{{ loop.length }}{% else %}none"
     "{% endfor %} {% for x in l if x > 5 %}{{ x }}{% else %}none{% endfor %}",
     M),
    ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} "
     "{% for k in d %}{{ k }}{% endfor %} {% for c in 'hé' %}[{{ c }}]"
     "{% endfor %} {% for a, b in [[1, 2], (3, 4)] %}{{ a + b }}{% endfor %}",
     M),
    ("{% for x in l %}{% if x == 1 %}{% continue %}{% endif %}{{ x }}"
     "{% if x == 1 %}{% break %}{% endif %}{% endfor %}|"
     "{% for x in l %}{% if x == 1 %}{% break %}{% endif %}{{ x }}"
     "{% endfor %}", M),
    ("{% for x in [1, 2] %}{% for y in 'ab' %}{{ x }}{{ y }}{{ loop.index }}"
     "{% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + 10 %}{{ x }}"
     "{% endfor %}{{ x }}", {}),
    ("{% if true %}{% set y = 3 %}{% endif %}{{ y }} {% set a, b = 1, 2 %}"
     "{{ a }}{{ b }} {% set t2 = 1, %}{{ t2 }}", {}),
    ("{% set ns = namespace(n=0, items=[]) %}{% for i in range(5) %}"
     "{% set ns.n = ns.n + i %}{% set ns.items = ns.items + [i * 2] %}"
     "{% endfor %}{{ ns.n }} {{ ns.items }} {{ ns.missing }}|", {}),
    ("{{ range(3)|list }} {{ range(1, 7, 2)|list }} {{ range(5, 0, -2)|list }}"
     " {{ range(0)|list }}", {}),
    ("{% set block %}  inner {{ 1 + 1 }} {% endset %}[{{ block }}]"
     "{% set up | upper %}shout{% endset %}{{ up }}"
     "{% filter upper %}filtered {{ 'x' }}{% endfilter %}", {}),
    ("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]"
     "{% generation %}gen {{ 1 }}{% endgeneration %}", {}),
    ("{% macro m(a, b=2) %}{{ a }}-{{ b }}{% endmacro %}{{ m(1) }} "
     "{{ m(1, 3) }} {{ m(b=5, a=4) }} {{ m() }}|", {}),
    ("{% macro v() %}{{ varargs }}{{ kwargs }}{% endmacro %}"
     "{{ v(1, 2, k='w') }}", {}),
    ("{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}"
     "{% endif %}{% endmacro %}{{ fact(5) }}", {}),
    ("{% set x = 5 %}{% macro show() %}{{ x }}{% endmacro %}{% set x = 6 %}"
     "{{ show() }}", {}),
    ("{{ strftime_now('%Y-%m-%d %H:%M') }} {{ strftime_now('%d %b %Y') }}", {}),
    ("{{ dict(a=1, b='x') }} {{ namespace(a=1) }}", {}),
    # Whitespace control.
    ("a  {{- 'b' -}}  c {%- if true -%}  d  {%- endif -%}  e", {}),
    ("line\n    {% if true %}\n    in\n    {% endif %}\nend", {}),
    ("x {% if true %}y{% endif %} z\n  {# c #}  \n  {# d #}\nw", {}),
    ("  {{ 'keep' }}\n{%+ if true %}plus{% endif %}\n  {%+ if true %}p2"
     "{% endif %}", {}),
    ("a\r\nb\rc\n{% if true %}\r\nd{% endif %}\n\n", {}),
    ("{% if true -%}\n\n  x\n{%- endif %}\n", {}),
    ("{%- for m in messages %}\n  {{- m.role }}\n{%- endfor %}", M),
    ("{{ {'a': {'b': 1}} }} {{ {'a': {'b': 1}}['a'] }}", {}),
    ("{#- only a comment -#}\n", {}),
    ("{% raw -%}\n  {{ x }}\n{%- endraw %}|", {}),
    ("\t{% if true %}\ttab\n\t{% endif %}\n  {{ 'var' }}\n  {%- if true %}"
     "\n x {% endif %}\n", {}),
    ("{# first #}\n  {# second #}\n{{ 1 }}{# third #}\n{{ 2 }} {#- left #}"
     "\n\n{#+ plus +#}\nend", {}),
    ("{%\n  if true\n%}multi-line tag{% endif %} { not a tag } {{ '{{' }} "
     "{{ '}}' }} {{ \"%}\" }}", {}),
    ("{{ [1, 2,] }} {{ {'a': 1,} }} {{ {'a': {'b': [1, {'c': 2}]}} | tojson }}"
     " {{ [1e20, 12345678901234567, 0.5, -1.25e-10] | tojson }} "
     "{{ '\x7f\x01\t' | tojson }}", {}),
    ("{% for x in l %}{% for y in l if y != x %}{% if y == 3 %}{% break %}"
     "{% endif %}{{ x }}{{ y }},{% endfor %}|{% endfor %}", M),
    ("{% for x in l %}{% set outer = loop %}{% for y in [0] %}"
     "{{ outer.index }}{{ loop.index }}{% endfor %}{% endfor %}", M),
    ("{% for m in messages if m.role == 'assistant' %}{{ loop.index }}/"
     "{{ loop.length }} {{ loop.last }}{% endfor %}", M),
    ("{% macro m(a, b=a ~ '!') %}{{ a }}{{ b }}{% endmacro %}{{ m('x') }} "
     "{% for i in [1, 2] %}{% macro sq() %}{{ i * i }}{% endmacro %}"
     "{{ sq() }}{% endfor %}", {}),
    ("{{ none == none }} {{ undefined_thing == undefined_other }} "
     "{{ undefined_thing == none }} {{ l == [3, 1, 2] }} {{ d == {'a': [1, 2], "
     "'b': 1} }} {{ 1 != 1.0 }} {{ 'a' == 'a' }}", M),
    ("{{ d['a'] if d['a'] is defined }} {{ d['z'] if d['z'] is defined else "
     "'no z' }} {{ messages[1:]|length }} {{ (messages|length) - 1 }} "
     "{{ messages|length - 1 }}", M),
    ("{{ l|map('string')|join(',') }} {{ undefined_thing|default(none) }} "
     "{{ l|sum }} {{ [{'n': 1}, {'n': 2.5}]|sum(attribute='n') }} {{ [[1], [2]]|sum(start=[]) }}", M),
    ("{{ 'ß'.upper() }} {{ 'ǅ'.lower() }} {{ 'ﬁne'.title() }} "
     "{{ 'ÉCOLE'|lower }} {{ 'éa'|capitalize }} {{ 'straße'|upper }}", {}),
    ("{{ 'é日'[::-1] }} {{ 'aé日b'[1:3] }} {{ ' \u3000x\u3000 '.strip() }}",
     {}),
    ("{% set content = messages[0]['content'] %}{% if content is string and "
     "content.startswith('Hello') %}greets{% endif %} {{ content.split('!')[0] }}"
     " {{ content|replace('2+2', 'two plus two') }}", M),
    ("{{ loop is defined }} {% for x in [1] %}{{ loop is defined }}"
     "{% endfor %} {{ messages is defined }}", M),
    ("{% set x = 'outer' %}{% with x = 'inner' %}{{ x }}{% endwith %}{{ x }}",
     {}),
    ("{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'a']|sort }} "
     "{{ ['b', 'A', 'a']|sort(case_sensitive=true) }} "
     "{{ [3, 1, 2]|sort(reverse=true) }} "
     "{{ messages|sort(attribute='role')|map(attribute='role')|list }} "
     "{{ {'b': 1, 'A': 2, 'a': 0}|dictsort }} "
     "{{ {'b': 1, 'a': 0}|dictsort(by='value', reverse=true) }} "
     "{{ l|min }} {{ l|max }} {{ ['b', 'A']|min }} [{{ []|max }}] "
     "{{ messages|max(attribute='role') }}", M),
    # Patterns of tool-calling templates.
    ("{%- macro py_type(spec) -%}\n"
     "{%- set m = {'string': 'str', 'integer': 'int', 'number': 'float', "
     "'boolean': 'bool'} -%}\n"
     "{%- if spec.type == 'array' -%}list[{{ py_type(spec['items']) }}]\n"
     "{%- elif spec.type == 'object' -%}dict[str, {{ py_type(spec."
     "additionalProperties) if spec.additionalProperties is defined else "
     "'Any' }}]\n"
     "{%- else -%}{{ m[spec.type] | default(spec.type) }}{%- endif -%}\n"
     "{%- endmacro -%}\n"
     "{%- for name, p in params.items() %}{{ name }}: {{ py_type(p) }}"
     "{{ ', ' if not loop.last }}{% endfor %}",
     {"params": {"city": {"type": "string"},
                 "days": {"type": "array", "items": {"type": "integer"}},
                 "opts": {"type": "object",
                          "additionalProperties": {"type": "boolean"}},
                 "x": {"type": "null"}}}),
    ("{%- for m in messages %}{%- if m.content is string %}{{ m.content }}"
     "{%- else %}{%- for part in m.content if part.type == 'text' %}"
     "{{ part.text }}{{ '|' if not loop.last }}{%- endfor %}{%- endif %};"
     "{%- endfor %}",
     {"messages": [{"role": "user", "content": "plain"},
                   {"role": "user", "content": [
                       {"type": "text", "text": "a"},
                       {"type": "image", "url": "x"},
                       {"type": "text", "text": "b"}]}]}),
    ("{%- set ns = namespace(found=false) %}{%- for m in messages %}"
     "{%- set ns.found = ns.found or m.role == 'assistant' %}{%- endfor %}"
     "{{ ns.found }} {{ messages|selectattr('role', 'eq', 'assistant')|first }}"
     " {{ (none_var|default({}, true)).get('k', 'no k') }} "
     "{% if messages[0]['role'] not in ['system', 'developer'] %}no system"
     "{% endif %} {{ '%s literal' }} {{ 'a\nb'|replace('\n', '\\n') }}", M),
    # Integers are 64-bit in the engine (Python's are unbounded).
    ("{{ 3 * 0.1 }} {{ 10 ** 15 }} {{ 2 ** 62 }} {{ 1.5e300 * 1e10 }} "
     "{{ -(2 ** 62) * 2 }}", {}),
]

# Snippets that Jinja2 refuses while rendering; the engine must refuse them
# too, with Jinja's message inside its own where match_error is set.
ERROR_SNIPPETS = [
    ("{{ undefined_thing.attr }}", {}, True),
    ("{{ undefined_thing + 1 }}", {}, True),
    ("{{ undefined_thing() }}", {}, True),
    ("{{ m.missing.x }}", {"m": {}}, True),
    ("{{ l[5].x }}", {"l": []}, True),
    ("{{ 'a' + 1 }}", {}, True),
    ("{{ 1 < 'a' }}", {}, True),
    ("{{ none + 1 }}", {}, True),
    ("{{ [1] + (2,) }}", {}, True),
    ("{{ 1 // 0 }}", {}, True),
    ("{{ 1 / 0 }}", {}, True),
    ("{{ 5|length }}", {}, True),
    ("{% for a, b in [[1, 2], [3]] %}{% endfor %}", {}, True),
    ("{% for a, b in [[1, 2, 3]] %}{% endfor %}", {}, True),
    ("{% set x = 1 %}{% set x.a = 2 %}", {}, True),
    ("{{ raise_exception('Only user and assistant roles are supported!') }}",
     {}, True),
    ("{{ undefined_thing|tojson }}", {}, True),
    ("{{ 'x' in 5 }}", {}, True),
    ("{% for x in 5 %}{% endfor %}", {}, True),
    ("{{ none() }}", {}, False),
    ("{{ range(1000000)|length }}", {}, False),
    ("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", {}, False),
    ("{{ ''.split('') }}", {}, True),
    ("{{ ['a']|sum(start='') }}", {}, True),
]


def render_case(env, source, context):
    try:
        return {"expected": env.from_string(source).render(**context)}
    except TemplateRaised as e:
        return {"error": str(e)}
    except jinja2.TemplateError as e:
        return {"error": e.message or str(e)}
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as e:
        return {"error": str(e)}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test",
                     "data", "text", "chat-templates.json"))
    env = environment()
    cases = []
    for case in conversation_cases():
        case.update(render_case(env, TEMPLATES[case["template"]],
                                case["context"]))
        if "error" in case:
            case["match_error"] = True  # raise_exception's message
        cases.append(case)
    for source, context in SNIPPETS:
        case = {"source": source, "context": context}
        case.update(render_case(env, source, context))
        if "error" in case:
            raise SystemExit("snippet failed in Jinja2: %r: %s" %
                             (source, case["error"]))
        cases.append(case)
    for source, context, match in ERROR_SNIPPETS:
        case = {"source": source, "context": context, "match_error": match}
        case.update(render_case(env, source, context))
        if "error" not in case:
            raise SystemExit("error snippet rendered in Jinja2: %r" % source)
        cases.append(case)
    data = {
        "generator": "scripts/render-chat-templates.py",
        "jinja2": jinja2.__version__,
        "environment": "ImmutableSandboxedEnvironment(trim_blocks=True, "
                       "lstrip_blocks=True, extensions=[generation, "
                       "loopcontrols]) with transformers' tojson, "
                       "raise_exception and strftime_now",
        "now": NOW,
        "templates": TEMPLATES,
        "cases": cases,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    errors = sum("error" in c for c in cases)
    print("%s: %d cases (%d errors), Jinja2 %s" %
          (out, len(cases), errors, jinja2.__version__))


if __name__ == "__main__":
    main()
