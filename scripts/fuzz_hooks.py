"""Schemathesis hooks for scripts/fuzz.py: how to send a PDF body (the PO document upload)."""

import pathlib

import schemathesis

# A real one-page PDF, so the fuzzer reaches past the parser; generated values are sent as they are.
ONE_PAGE = (pathlib.Path(__file__).parent.parent / "server/tests/fixtures/purchase-order.pdf").read_bytes()


@schemathesis.serializer("application/pdf")
def pdf(ctx, value):
    # Bytes the generator made go as they are (the parser must refuse them cleanly); anything else
    # becomes the real document with the value appended after its end, which readers tolerate.
    if isinstance(value, bytes):
        return value
    return ONE_PAGE + str(value).encode()
