"""Uploaded files read with a byte cap that is checked while reading, so an
oversized upload is refused before it is held in memory."""
CHUNK = 64 * 1024


class UploadTooLarge(Exception):
    """The upload passed `limit` bytes."""

    def __init__(self, limit):
        super(UploadTooLarge, self).__init__(limit)
        self.limit = limit


def read_limited(stream, max_bytes):
    """The bytes of a file-like object, or UploadTooLarge as soon as they pass
    `max_bytes`. Starts from the beginning when it can: Odoo runs a request
    again after a serialization failure, and the upload must read the same."""
    seekable = getattr(stream, "seekable", None)  # SpooledTemporaryFile has none before 3.11
    if seekable() if seekable else hasattr(stream, "seek"):
        stream.seek(0)
    parts, size = [], 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > max_bytes:
            raise UploadTooLarge(max_bytes)
        parts.append(chunk)
