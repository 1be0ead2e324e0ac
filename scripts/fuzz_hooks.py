"""Schemathesis hooks for scripts/fuzz.py: how to send a PDF body (the PO document upload)."""

import schemathesis


@schemathesis.serializer("application/pdf")
def pdf(ctx, value):
    # The generator's value, whatever it is, as the bytes of a small file that starts like a PDF.
    if isinstance(value, bytes):
        return value
    return b"%PDF-1.4\n" + str(value).encode()
