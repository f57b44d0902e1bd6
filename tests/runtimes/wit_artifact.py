#!/usr/bin/env python3
"""Fake WIT artifacts for tests: a valid (empty) WebAssembly component whose
custom section "funcp-test-wit" carries what a decoder should produce,
either a tar of the `wasm-tools component wit --out-dir` layout or the text
`jco wit` would print.

  wit_artifact.py pack DIR|FILE OUT.wasm   build an artifact
  wit_artifact.py untar IN.wasm OUTDIR      (fake wasm-tools) extract the layout
  wit_artifact.py cat IN.wasm               (fake jco) print the text
"""
import io
import os
import sys
import tarfile

PREAMBLE = b"\0asm\x0d\x00\x01\x00"
NAME = b"funcp-test-wit"


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_leb(data, pos):
    n = shift = 0
    while True:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, pos


def pack(src, out):
    if os.path.isdir(src):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for entry in sorted(os.listdir(src)):
                tar.add(os.path.join(src, entry), arcname=entry)
        payload = buf.getvalue()
    else:
        with open(src, "rb") as f:
            payload = f.read()
    body = leb(len(NAME)) + NAME + payload
    with open(out, "wb") as f:
        f.write(PREAMBLE + b"\x00" + leb(len(body)) + body)


def payload(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != PREAMBLE:
        sys.exit("error: not a WebAssembly component")
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = read_leb(data, pos + 1)
        end = pos + size
        if sid == 0:
            nlen, p = read_leb(data, pos)
            if data[p:p + nlen] == NAME:
                return data[p + nlen:end]
        pos = end
    sys.exit("error: no WIT package in component")


def main():
    cmd = sys.argv[1]
    if cmd == "pack":
        pack(sys.argv[2], sys.argv[3])
    elif cmd == "untar":
        os.makedirs(sys.argv[3], exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(payload(sys.argv[2]))) as tar:
            tar.extractall(sys.argv[3])
    elif cmd == "cat":
        sys.stdout.buffer.write(payload(sys.argv[2]))
    else:
        sys.exit("usage: wit_artifact.py pack|untar|cat ...")


if __name__ == "__main__":
    main()
