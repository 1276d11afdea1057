#!/usr/bin/env python3
"""Makes test/data/text/neox-like/: a GPT-NeoX-shaped tokenizer.json and the
ids and texts that the Hugging Face `tokenizers` library gives for several
hundred strings (read by test/unit/text/TokenizerFixtureTest.cpp).

GPT-NeoX-20B's own tokenizer.json cannot be downloaded where this runs, so a
tokenizer of the same shape is trained on a local corpus:

  * model BPE, ~50k tokens, no dropout, no unk token;
  * normalizer NFC;
  * pre-tokenizer ByteLevel(add_prefix_space=False) with the GPT-2 regex;
  * decoder ByteLevel, post-processor ByteLevel;
  * "<|endoftext|>" special id 0, "<|padding|>" special id 1;
  * added (non-special, normalized) tokens for runs of 24 down to 2 spaces,
    right after the model's tokens, as GPT-NeoX has them.

Usage:
  python3 scripts/make_tokenizer_fixtures.py CORPUS_DIR [--out DIR]

CORPUS_DIR holds .txt files (searched recursively; a few MB of varied text
reach the full vocabulary). Needs `tokenizers` (written against 0.23);
`transformers`, when present, is used to check that PreTrainedTokenizerFast
(what mamba_ssm's scripts use) gives the same ids and text. Any error stops
the script with a non-zero exit.
"""

import argparse
import json
import os
import random
import sys
import unicodedata

SPECIAL_TOKENS = ["<|endoftext|>", "<|padding|>"]
SPACE_RUNS = [" " * n for n in range(24, 1, -1)]


def fail(message):
    print(f"make_tokenizer_fixtures: error: {message}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------
# Test strings
# ---------------------------------------------------------------------------

FIXED_TEXTS = [
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n\n",
    "Hello world",
    "Hello, World!",
    " Hello",
    "Hello ",
    "hello\nworld\n",
    "The quick brown fox jumps over the lazy dog.",
    "I'm can't won't it's we've they'd you'll I'd she's",
    "IT'S WE'VE I'M DON'T",  # the regex's contractions are lower case only
    "'s 't 're 've 'm 'll 'd",
    "rock'n'roll o'clock",
    "1234567890",
    "3.14159 2.71828 -42 +7 1e-10",
    "1,000,000 and 2024-01-01T12:34:56Z",
    "abc123def 456ghi",
    "٣٤٥ ١٢٣ ०१२३ ๑๒๓",
    "Ⅻ ½ ¾ x² H₂O ①②③",
    "email: someone@example.com, url: https://example.org/a/b?c=d&e=f#g",
    "def f(x):\n    return x ** 2  # square\n",
    "int main() {\n\tprintf(\"%d\\n\", 42);\n\treturn 0;\n}\n",
    '{"key": [1, 2.5, null, true], "nested": {"a": "b"}}',
    "<html><body><p class=\"x\">Hi &amp; bye</p></body></html>",
    "| col | col |\n|-----|-----|\n| **bold** | _it_ |",
    "a" * 500,
    "supercalifragilisticexpialidocious" * 20,
    "9" * 300,
    "!" * 100,
    "word" + " " * 30 + "word",
    "   leading spaces",
    "trailing spaces   ",
    " \t \n \r\n\t\t  \n",
    "tab\tseparated\tvalues\t",
    "nbsp\u00a0here",
    "ideographic\u3000space",
    "line\u2028separator\u2029paragraph",
    "next\u0085line",
    "zero\u200bwidth\u200cnon\u200djoiner",
    "\ufeffbyte order mark",
    "soft\u00adhyphen",
    "control\u0001\u0002\u001f\u007fchars",
    # Python's str.isspace() counts U+001C..U+001F; Unicode's White_Space
    # (and so the library's \\s) does not.
    "file\u001cgroup\u001drecord\u001eunit\u001f sep \u001c\u001d end",
    # Scripts.
    "Ελληνικά: Καλημέρα κόσμε",
    "Русский: Привет, мир! Съешь же ещё этих мягких французских булок.",
    "Հայերեն: Բարեւ աշխարհ",
    "עברית: שלום עולם",
    "العربية: مرحبا بالعالم",
    "हिन्दी: नमस्ते दुनिया",
    "বাংলা: ওহে বিশ্ব",
    "ไทย: สวัสดีชาวโลก",
    "ລາວ: ສະບາຍດີ",
    "བོད་ཡིག: བཀྲ་ཤིས་བདེ་ལེགས།",
    "ქართული: გამარჯობა სამყარო",
    "한국어: 안녕하세요 세계",
    "日本語: こんにちは世界、カタカナ",
    "中文：你好，世界。繁體中文測試",
    "አማርኛ: ሰላም ልዑል",
    "ᏣᎳᎩ: ᎣᏏᏲ",
    "ᠮᠣᠩᠭᠣᠯ: ᠰᠠᠢᠨ ᠪᠠᠢᠨ᠎ᠠ ᠤᠤ",
    "ខ្មែរ: សួស្តី​ពិភពលោក",
    "සිංහල: ආයුබෝවන්",
    "தமிழ்: வணக்கம் உலகம்",
    "తెలుగు: హలో ప్రపంచం",
    "မြန်မာ: မင်္ဂလာပါ",
    "∀x∈ℝ: x² ≥ 0 ⇒ √(x²) = |x| ∑∫∂∇",
    "┌─┬─┐\n│ │ │\n└─┴─┘",
    "𝄞 𝄢 musical, 𝐀𝐁𝐂 𝑥𝑦𝑧 math letters, 𐌰𐌱𐌲 gothic",
    # Emoji: skin tones, ZWJ sequences, flags, keycaps, variation selectors.
    "😀😃😄 😁",
    "👍 👍🏻 👍🏼 👍🏽 👍🏾 👍🏿",
    "👨‍👩‍👧‍👦 family 👩‍❤️‍💋‍👨 kiss",
    "🏳️‍🌈 🏴‍☠️ 🇺🇸🇯🇵🇩🇪 flags",
    "1️⃣ #️⃣ *️⃣ keycaps",
    "🧑🏿‍🚀 👩🏽‍💻 🤷‍♂️ ❤️ ♥ ☺️",
    "emoji😀glued😀to😀words",
    # Text that NFC changes.
    "cafe\u0301 vs caf\u00e9",
    "a\u0308 o\u0302\u0323 \u1e9b\u0323 A\u030a",
    "\u212b \u2126 \u212a",  # Angstrom, Ohm, Kelvin signs become letters
    "\u1100\u1161\u11a8 \u1112\u1161\u11ab",  # Hangul jamo compose
    "\uf900\uf901 \U0002f800",  # compatibility ideographs map to unified ones
    "\u0915\u093c \u0958",  # composition exclusion: stays decomposed
    "\u0041\u0301\u0328 \u0041\u0328\u0301",  # canonical reordering
    "\ufb01 \u2460 \uff21",  # NFC keeps compatibility characters
    "e\u0301\u0301\u0301 stacked",
    "\u0301 leading combining mark",
    # Special tokens inside text.
    "<|endoftext|>",
    "<|padding|>",
    "Hello<|endoftext|>world",
    "<|endoftext|><|endoftext|>",
    " <|endoftext|> ",
    "a  <|endoftext|>  b",
    "<|endoftext|>\n\n<|padding|>",
    "<|endoftext",
    "<|endoftext|",
    "<|ENDOFTEXT|>",
    "<<|endoftext|>>",
    "<|endoftext|>" * 5,
    "text<|endoftext|>  <|padding|>   tail",
]

FRAGMENTS = [
    "hello", "world", "The", "the", "of", "and", "tokenizer", "Mamba",
    "state", "space", "model", "don't", "I'll", "123", "4567", "3.5", "0x1F",
    "é", "ñ", "ü", "ß", "Ωμέγα", "Привет", "שלום", "مرحبا", "नमस्ते", "สวัสดี",
    "안녕", "日本", "中文", "カタカナ", "😀", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "🇫🇷",
    "e\u0301", "a\u0308", "\u212b", "\u1100\u1161", "\uf900", "<|endoftext|>",
    "<|padding|>", "<|endoftext", "(", ")", "{", "}", "[", "]", ";", ":", ",",
    ".", "!", "?", "'", "\"", "-", "_", "=", "+", "*", "/", "\\", "#", "@",
    "$", "%", "&", "|", "~", "`", "^", "<", ">", "…", "—", "“", "”", "€",
    "£", "¥", "©", "®", "°", "±", "\u00a0", "\u3000", "\u200b",
]
WHITESPACE = [" ", "  ", "   ", "    ", " " * 7, " " * 13, " " * 24, " " * 25,
              " " * 40, "\t", "\t\t", "\n", "\n\n", "\r\n", " \n", "\n ",
              " \t", "\u00a0", "\u3000", "\u2028", "\u0085", ""]


def random_text(rng):
    parts = []
    for _ in range(rng.randint(1, 24)):
        parts.append(rng.choice(FRAGMENTS))
        if rng.random() < 0.7:
            parts.append(rng.choice(WHITESPACE))
    return "".join(parts)


def corpus_snippets(rng, corpus_text, count):
    snippets = []
    if not corpus_text:
        return snippets
    for _ in range(count):
        start = rng.randrange(len(corpus_text))
        snippets.append(corpus_text[start:start + rng.randint(1, 400)])
    return snippets


def build_texts(rng, corpus_text):
    texts = list(FIXED_TEXTS)
    for n in range(1, 31):
        texts.append("x" + " " * n + "y")
        texts.append(" " * n)
    texts += [random_text(rng) for _ in range(400)]
    texts += corpus_snippets(rng, corpus_text, 80)
    for text in texts:
        # Python strings can hold lone surrogates, which are not UTF-8.
        text.encode("utf-8")
    return texts


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------


def corpus_files(corpus_dir):
    files = []
    for root, _, names in os.walk(corpus_dir):
        files += [os.path.join(root, n) for n in names if n.endswith(".txt")]
    return sorted(files)


def train(files, vocab_size):
    from tokenizers import (AddedToken, Tokenizer, decoders, models,
                            normalizers, pre_tokenizers, processors, trainers)

    tokenizer = Tokenizer(models.BPE(dropout=None, unk_token=None,
                                     fuse_unk=False, byte_fallback=False))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(
        add_prefix_space=False, trim_offsets=True, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=True)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        show_progress=False,
        special_tokens=[AddedToken(t, special=True, normalized=False)
                        for t in SPECIAL_TOKENS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train(files, trainer)
    tokenizer.add_tokens([AddedToken(run, single_word=False, lstrip=False,
                                     rstrip=False, normalized=True,
                                     special=False) for run in SPACE_RUNS])
    return tokenizer


def check_layout(tokenizer, min_vocab):
    """Returns the number of ids (largest id + 1), which the C++ test
    compares with Tokenizer::vocabSize()."""
    for i, token in enumerate(SPECIAL_TOKENS):
        if tokenizer.token_to_id(token) != i:
            fail(f"{token!r} has id {tokenizer.token_to_id(token)}, not {i}")
    model_size = tokenizer.get_vocab_size(with_added_tokens=False)
    if model_size < min_vocab:
        fail(f"the trained model has only {model_size} tokens (wanted at "
             f"least {min_vocab}); give a larger or more varied corpus, "
             f"or a lower --min-vocab")
    ids = [tokenizer.token_to_id(run) for run in SPACE_RUNS]
    if ids != list(range(model_size, model_size + len(SPACE_RUNS))):
        # Still a valid fixture, only laid out unlike GPT-NeoX.
        print(f"make_tokenizer_fixtures: WARNING: the space-run tokens got "
              f"ids {ids}, not {model_size}, {model_size + 1}, ...",
              file=sys.stderr)
    return max(tokenizer.get_vocab(with_added_tokens=True).values()) + 1


def decode_cases(rng, tokenizer, encoded, vocab_size):
    id_lists = [[i] for i in range(vocab_size)
                if i < 300 or i >= vocab_size - len(SPACE_RUNS)]
    for _ in range(200):
        id_lists.append([rng.randrange(vocab_size)
                         for _ in range(rng.randint(1, 12))])
    # Slices of real encodings cut characters and special tokens apart.
    for ids in rng.sample(encoded, min(150, len(encoded))):
        if len(ids) > 1:
            a = rng.randrange(len(ids))
            b = rng.randrange(a + 1, len(ids) + 1)
            id_lists.append(ids[a:b])
    id_lists.append([])
    return [{"ids": ids,
             "text": tokenizer.decode(ids, skip_special_tokens=False),
             "text_skip_special": tokenizer.decode(ids, skip_special_tokens=True)}
            for ids in id_lists]


def check_with_transformers(tokenizer_path, encode_cases):
    try:
        from transformers import PreTrainedTokenizerFast
    except ImportError:
        print("make_tokenizer_fixtures: WARNING: transformers is not "
              "installed; the PreTrainedTokenizerFast cross-check was skipped",
              file=sys.stderr)
        return
    fast = PreTrainedTokenizerFast(tokenizer_file=tokenizer_path,
                                   eos_token="<|endoftext|>",
                                   bos_token="<|endoftext|>",
                                   unk_token="<|endoftext|>",
                                   clean_up_tokenization_spaces=False)
    bad = 0
    for case in encode_cases:
        ids = fast(case["text"])["input_ids"]
        text = fast.decode(case["ids"], skip_special_tokens=False,
                           clean_up_tokenization_spaces=False)
        if ids != case["ids"] or text != case["decoded"]:
            bad += 1
            if bad <= 10:
                print(f"transformers differs on {case['text']!r}: {ids} "
                      f"{text!r}", file=sys.stderr)
    if bad:
        fail(f"PreTrainedTokenizerFast differs from tokenizers on {bad} cases")
    print("transformers", __import__("transformers").__version__,
          "agrees on every encode case")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", help="directory of .txt files to train on")
    parser.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "test", "data",
        "text", "neox-like"))
    parser.add_argument("--vocab-size", type=int, default=50254,
                        help="BPE vocabulary incl. the 2 special tokens "
                             "(GPT-NeoX: 50254)")
    parser.add_argument("--min-vocab", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-transformers", action="store_true",
                        help="leave out the PreTrainedTokenizerFast check")
    args = parser.parse_args()

    try:
        import tokenizers
    except ImportError:
        fail("the Hugging Face `tokenizers` library is not installed")
    print("tokenizers", tokenizers.__version__)

    files = corpus_files(args.corpus)
    if not files:
        fail(f"no .txt files under {args.corpus}")
    corpus_bytes = sum(os.path.getsize(f) for f in files)
    print(f"training on {len(files)} files, {corpus_bytes / 1e6:.2f} MB")
    tokenizer = train(files, args.vocab_size)

    # Both files are written under temporary names and renamed only after
    # every check passed, so a failed run leaves no mismatched pair behind.
    os.makedirs(args.out, exist_ok=True)
    tokenizer_path = os.path.join(args.out, "tokenizer.json")
    cases_path = os.path.join(args.out, "cases.json")
    tokenizer.save(tokenizer_path + ".partial")
    # Everything below reads the saved file, which is what the C++ test reads.
    tokenizer = tokenizers.Tokenizer.from_file(tokenizer_path + ".partial")
    vocab_size = check_layout(tokenizer, args.min_vocab)

    rng = random.Random(args.seed)
    corpus_text = ""
    for path in rng.sample(files, min(20, len(files))):
        with open(path, encoding="utf-8", errors="replace") as f:
            corpus_text += f.read(200000)
    texts = build_texts(rng, corpus_text)

    encode_cases = []
    roundtrip_differs = 0
    for text in texts:
        ids = tokenizer.encode(text).ids
        decoded = tokenizer.decode(ids, skip_special_tokens=False)
        if decoded != unicodedata.normalize("NFC", text):
            roundtrip_differs += 1
        encode_cases.append({
            "text": text,
            "ids": ids,
            "decoded": decoded,
            "decoded_skip_special": tokenizer.decode(ids,
                                                     skip_special_tokens=True),
        })
    cases = {
        "tokenizers_version": tokenizers.__version__,
        "vocab_size": vocab_size,
        "encode": encode_cases,
        "decode": decode_cases(rng, tokenizer,
                               [c["ids"] for c in encode_cases], vocab_size),
    }
    with open(cases_path + ".partial", "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    if not args.skip_transformers:
        check_with_transformers(tokenizer_path + ".partial", encode_cases)
    os.replace(tokenizer_path + ".partial", tokenizer_path)
    os.replace(cases_path + ".partial", cases_path)

    print(f"wrote {tokenizer_path} ({os.path.getsize(tokenizer_path) / 1e6:.2f}"
          f" MB, {vocab_size} tokens)")
    print(f"wrote {cases_path} ({os.path.getsize(cases_path) / 1e6:.2f} MB, "
          f"{len(encode_cases)} encode and {len(cases['decode'])} decode cases)")
    if roundtrip_differs:
        print(f"note: for {roundtrip_differs} texts decode(encode(text)) is "
              f"not NFC(text); the test expects the library's output as is")


if __name__ == "__main__":
    main()
