"""Masking of personal data in lists (证件号码 to its last 4 characters, phone numbers to their ends)."""


def mask_id_number(value):
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:] if len(value) > 4 else "*" * len(value)


def mask_phone(value):
    """138****5678 for a mobile number; the first 3 and last 4 characters of any number of 8 or more."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
