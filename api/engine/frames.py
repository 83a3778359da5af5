"""Frames between the server and its query workers: a 4-byte big-endian length, then a pickle.

Pickle is safe here: both ends are this program, connected by a socketpair no one else holds.
"""

from __future__ import annotations

import pickle
import struct

HEADER = struct.Struct(">I")


def pack(message) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def unpack(payload: bytes):
    return pickle.loads(payload)
