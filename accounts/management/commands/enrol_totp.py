import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import twofactor


class Command(BaseCommand):
    help = (
        "Give an account a new authenticator (TOTP) device and print its key, its otpauth:// address and a QR code, "
        "for the account's owner to add to an authenticator app. Replaces the account's existing device only with "
        "--replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--replace", action="store_true", help="replace the device the account already has")
        parser.add_argument("--svg", metavar="FILE", help="also write the QR code to FILE as an SVG image")
        parser.add_argument("--no-qr", action="store_true", help="print no QR code in the terminal")

    def handle(self, *args, username, replace, svg, no_qr, **options):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No account has the user name {username!r}.") from None
        if twofactor.confirmed_device(user) is not None and not replace:
            raise CommandError(
                f"{username} already has an authenticator device; run again with --replace to give it a new one "
                "(the old one then stops working)."
            )
        device = twofactor.create_confirmed(user)
        qr = twofactor.qr_code(device)
        self.stdout.write(f"Authenticator device for {username} created.")
        self.stdout.write(f"Key (base32): {twofactor.secret(device)}")
        self.stdout.write(f"Address: {device.config_url}")
        if not no_qr:
            terminal = io.StringIO()
            qr.terminal(out=terminal, compact=True)
            self.stdout.write(terminal.getvalue(), ending="")
        if svg:
            qr.save(svg, kind="svg", scale=5, light="#fff")
            self.stdout.write(f"QR code written to {svg}.")
        if not user.is_staff:
            self.stderr.write(f"Note: {username} is not staff, so cannot use the admin.")
        self.stdout.write("Give the key or the QR code to the account's owner only; it is not shown again.")
