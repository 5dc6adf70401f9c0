# An independent client for the virtual NFC card: python-fido2 (Debian python3-fido2 0.9, pyscard) registers and
# signs in through pcscd, and its own Fido2Server verifies both. Prints one JSON line; exits non-zero on failure.
import json
import sys

from fido2.client import Fido2Client
from fido2.pcsc import CtapPcscDevice
from fido2.server import Fido2Server

reader = sys.argv[1]
origin = "https://latchkey.localhost"
devices = list(CtapPcscDevice.list_devices(reader))
if not devices:
    print(json.dumps({"ok": False, "error": "no FIDO device on reader %s" % reader}))
    sys.exit(1)
device = devices[0]
client = Fido2Client(device, origin)
server = Fido2Server({"id": "latchkey.localhost", "name": "Latchkey"}, attestation="direct")
user = {"id": b"python-user", "name": "python@example.com"}

create_options, state = server.register_begin(user, user_verification="discouraged")
made = client.make_credential(create_options["publicKey"])
auth_data = server.register_complete(state, made.client_data, made.attestation_object)
credentials = [auth_data.credential_data]

request_options, state = server.authenticate_begin(credentials, user_verification="discouraged")
got = client.get_assertion(request_options["publicKey"]).get_response(0)
server.authenticate_complete(state, credentials, got.credential_id, got.client_data, got.authenticator_data, got.signature)

print(json.dumps({
    "ok": True,
    "versions": client.info.versions,
    "fmt": made.attestation_object.fmt,
    "credentialIdLength": len(got.credential_id),
    "signCount": got.authenticator_data.counter,
}))
