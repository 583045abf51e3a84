"""Test helpers for the administrators' second factor (TOTP through django-otp)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.security.signin import needs_second_factor

plain_force_login = Client.force_login


def code(device, drift=0):
    """The device's current 6-digit code (``drift`` time steps later; a code is accepted once per step)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"


def verified_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def force_login_verified(client, user, backend=None):
    """Client.force_login standing for a whole login: for an administrator, password and second factor."""
    plain_force_login(client, user, backend)
    if needs_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()
