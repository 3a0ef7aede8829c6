#!/usr/bin/env python3
"""An independent check of ClaimLedger's transparency log, written from the specifications alone
(C2SP signed-note, tlog-checkpoint and tlog-cosignature; RFC 6962 and RFC 9162; docs/audit.md for the entry
encoding), using only the standard library and the `cryptography` package for Ed25519.

usage: check_tlog.py LOG_VKEY CHECKPOINT INCLUSION_PROOF.json CONSISTENCY_PROOF.json [COSIGNER_VKEY]

Exits 0 when every check passes, 1 (with the reason) at the first that fails.
"""
import base64
import hashlib
import json
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Refused(Exception):
    pass


def parse_vkey(text, expected_type):
    name, key_id, blob = text.strip().split("+", 2)
    raw = base64.b64decode(blob, validate=True)
    if raw[0] != expected_type or len(raw) != 33:
        raise Refused(f"{name}: expected an Ed25519 key of type {expected_type:#04x}")
    computed = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if computed.hex() != key_id.lower():
        raise Refused(f"{name}: key ID {key_id} is not SHA-256(name, newline, type, key)[:4] = {computed.hex()}")
    return name, computed, Ed25519PublicKey.from_public_bytes(raw[1:])


def split_note(note):
    if "\n\n" not in note or not note.endswith("\n"):
        raise Refused("not a signed note")
    cut = note.rindex("\n\n")
    text, lines = note[: cut + 1], note[cut + 2 :].split("\n")[:-1]
    signatures = []
    for line in lines:
        dash, name, blob = line.split(" ")
        if dash != "\u2014":
            raise Refused(f"bad signature line {line!r}")
        raw = base64.b64decode(blob, validate=True)
        signatures.append((name, raw[:4], raw[4:]))
    return text, signatures


def open_checkpoint(note, vkey):
    name, key_id, public_key = vkey
    text, signatures = split_note(note)
    mine = [sig for (n, k, sig) in signatures if n == name and k == key_id]
    if not mine:
        raise Refused(f"no signature by {name}")
    for sig in mine:
        try:
            public_key.verify(sig, text.encode())
        except InvalidSignature:
            raise Refused(f"the signature by {name} does not verify")
    origin, size, root = text.split("\n")[:3]
    if origin != name:
        raise Refused(f"origin {origin!r} is not the key name {name!r}")
    if size != str(int(size)):
        raise Refused("tree size has leading zeroes")
    return text, int(size), base64.b64decode(root, validate=True), signatures


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, old_root, new_root, proof):
    if m == 0:
        return not proof
    if m == n:
        return not proof and old_root == new_root
    if not proof or m > n:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + proof
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def entry_hash(entry):
    def field(text):
        data = text.encode("utf-8")
        return struct.pack(">I", len(data)) + data

    encoding = entry.get("encoding", 1)
    if encoding not in (1, 2):
        raise Refused(f"unknown entry encoding {encoding}")
    values = [
        f"claimledger/entry/v{encoding}",
        entry["claimId"],
        str(entry["version"]),
        entry["eventId"],
        entry["eventType"],
        entry["timestamp"],
        entry["payload"],
        entry["actor"],
    ]
    if encoding == 2:
        values += [entry["headers"], entry["correlationId"]]
    encoded = b"".join(field(v) for v in values)
    return hashlib.sha256(encoded + bytes.fromhex(entry["previousHash"])).digest()


def main(argv):
    log_vkey = parse_vkey(open(argv[1]).read(), 0x01)
    checkpoint_note = open(argv[2]).read()
    inclusion = json.load(open(argv[3]))
    consistency = json.load(open(argv[4]))

    _, size, root, signatures = open_checkpoint(checkpoint_note, log_vkey)
    print(f"checkpoint: size {size}, signature by {log_vkey[0]} verifies")

    if len(argv) > 5:
        name, key_id, public_key = parse_vkey(open(argv[5]).read(), 0x04)
        text = checkpoint_note[: checkpoint_note.rindex("\n\n") + 1]
        found = [sig for (n, k, sig) in signatures if n == name and k == key_id]
        if not found:
            raise Refused(f"no cosignature by {name}")
        for sig in found:
            (timestamp,) = struct.unpack(">Q", sig[:8])
            message = f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode()
            try:
                public_key.verify(sig[8:], message)
            except InvalidSignature:
                raise Refused(f"the cosignature by {name} does not verify")
        print(f"cosignature by {name} verifies")

    leaf_entry = entry_hash(inclusion["entry"])
    if leaf_entry.hex() != inclusion["entryHash"].lower():
        raise Refused("the entry's fields do not hash to its entryHash")
    _, p_size, p_root, _ = open_checkpoint(inclusion["checkpoint"], log_vkey)
    if (p_size, p_root.hex()) != (inclusion["treeSize"], inclusion["rootHash"].lower()):
        raise Refused("the inclusion proof is not of its checkpoint's tree")
    path = [bytes.fromhex(h) for h in inclusion["auditPath"]]
    leaf = hashlib.sha256(b"\x00" + leaf_entry).digest()
    if not verify_inclusion(inclusion["leafIndex"], p_size, leaf, path, p_root):
        raise Refused("the inclusion proof does not verify")
    print(f"inclusion: {inclusion['entry']['claimId']} version {inclusion['entry']['version']} is leaf {inclusion['leafIndex']} of {p_size}")

    _, old_size, old_root, _ = open_checkpoint(consistency["oldCheckpoint"], log_vkey)
    _, new_size, new_root, _ = open_checkpoint(consistency["newCheckpoint"], log_vkey)
    proof = [bytes.fromhex(h) for h in consistency["proof"]]
    if not verify_consistency(old_size, new_size, old_root, new_root, proof):
        raise Refused("the consistency proof does not verify")
    print(f"consistency: size {old_size} is a prefix of size {new_size}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (Refused, ValueError, KeyError) as e:
        print(f"refused: {e}", file=sys.stderr)
        sys.exit(1)
