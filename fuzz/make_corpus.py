# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the seed corpora of the fuzz targets into fuzz/corpus/.

Run from the repository root with the virtual environment that scripts/setup
creates (it needs torch):

    .venv/bin/python fuzz/make_corpus.py
"""

import collections
import io
import os
import pickle
import sys
import zipfile

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))

from make_safetensors import example_tensors, write_safetensors  # noqa: E402


def write_safetensors_seeds(folder):
    write_safetensors(os.path.join(folder, "example.safetensors"), example_tensors(), {"format": "pt"})
    write_safetensors(os.path.join(folder, "empty.safetensors"), {}, {})
    write_safetensors(os.path.join(folder, "metadata-only.safetensors"), {}, {"format": "pt"})
    write_safetensors(
        os.path.join(folder, "small-dtypes.safetensors"),
        {
            "f64": torch.tensor([1.5], dtype=torch.float64),
            "i32": torch.tensor([[1, 2]], dtype=torch.int32),
            "i16": torch.tensor([3], dtype=torch.int16),
            "i8": torch.tensor([-4], dtype=torch.int8),
            "u8": torch.tensor([5], dtype=torch.uint8),
            "e4m3": torch.tensor([0.5], dtype=torch.float8_e4m3fn),
            "e5m2": torch.tensor([0.25], dtype=torch.float8_e5m2),
        },
        {},
    )


def torch_data_pickle(obj):
    """Return data.pkl of a torch.save archive: a pickle with persistent ids for storages."""
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
        return archive.read(name)


def write_unpickler_seeds(folder):
    values = {
        "dict": {"name": "model", "epoch": 3, "lr": 0.001, "flags": [True, False, None]},
        "list": [1, -2, 2**70, 1.5, "text", b"\x00\x01", (1, 2)],
        "ordereddict": collections.OrderedDict([("a.weight", 1.0), ("a.bias", -1.0)]),
        "tuple": (("nested", ("tuple",)), frozenset({1}), {2, 3}),
        "strings": ["", "ascii", "Grüße", "\u65e5\u672c", b"bytes", bytearray(b"array")],
    }
    for name, value in values.items():
        for protocol in (2, 4):
            with open(os.path.join(folder, f"{name}-p{protocol}.pkl"), "wb") as file:
                pickle.dump(value, file, protocol=protocol)

    state_dict = collections.OrderedDict(
        [
            ("fc.weight", torch.arange(6, dtype=torch.float32).reshape(2, 3)),
            ("fc.bias", torch.zeros(2, dtype=torch.float16)),
            ("steps", torch.tensor(5)),
        ]
    )
    with open(os.path.join(folder, "torch-state-dict.pkl"), "wb") as file:
        file.write(torch_data_pickle(state_dict))
    checkpoint = {"model": state_dict, "view": state_dict["fc.weight"][:, 1:], "param": torch.nn.Parameter(torch.ones(2))}
    with open(os.path.join(folder, "torch-checkpoint.pkl"), "wb") as file:
        file.write(torch_data_pickle(checkpoint))


def main():
    corpus = os.path.join(ROOT, "fuzz", "corpus")
    for target, write in (("fuzz_safetensors", write_safetensors_seeds), ("fuzz_unpickler", write_unpickler_seeds)):
        folder = os.path.join(corpus, target)
        os.makedirs(folder, exist_ok=True)
        write(folder)


if __name__ == "__main__":
    main()
