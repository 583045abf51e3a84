"""验真 codes: the address in the QR code of a printed 备案表.

The code is ``<备案编号>.<content hash>.<mac>``. The mac (HMAC with SECRET_KEY) binds the number to the hash that
was printed, so a code cannot be made up: a forged code, an altered hash and an unknown number all fail the same
check and get the same 404. Without the mac anyone could walk through all numbers and read off every filing.
"""

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .content import HASH_LENGTH, short_hash

SALT = "kechuang.documents.verification"
MAC_LENGTH = 20  # hex digits (80 bits): online guessing is throttled


def _mac(number, digest):
    return salted_hmac(SALT, f"{number}|{digest}", algorithm="sha256").hexdigest()[:MAC_LENGTH]


def make_code(number, digest):
    return f"{number}.{digest}.{_mac(number, digest)}"


def parse_code(code):
    """(number, printed hash) of a genuine code, else None."""
    parts = (code or "").split(".")
    if len(parts) != 3:
        return None
    number, digest, mac = parts
    if not number or len(number) > 24 or len(digest) != HASH_LENGTH or len(mac) != MAC_LENGTH:
        return None
    if not constant_time_compare(mac, _mac(number, digest)):
        return None
    return number, digest


def verification_path(filing, digest=None):
    """The path of the 验真 page for ``filing`` as it is now (None for a filing without 备案编号)."""
    if not filing.number:
        return None
    code = make_code(filing.number, digest or short_hash(filing))
    return reverse("documents:verify", kwargs={"code": code})
