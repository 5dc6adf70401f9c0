# python-fido2 (Debian python3-fido2 0.9) drives the CTAP 2.1 features of the virtual NFC card through pcscd: PIN set,
# retries and tokens over both PIN/UV auth protocols, hmac-secret through its Fido2Client, credential management and
# authenticatorConfig. An independent implementation of the same spec, so our key's crypto cannot agree with our
# client's by sharing a mistake. Prints one JSON line; exits non-zero on failure.
import json
import sys

from fido2.client import Fido2Client
from fido2.ctap import CtapError
from fido2.ctap2 import ClientPin, Config, Ctap2, CredentialManagement, PinProtocolV1, PinProtocolV2
from fido2.pcsc import CtapPcscDevice
from fido2.server import Fido2Server

reader, pin = sys.argv[1], sys.argv[2]
origin = "https://latchkey.localhost"
devices = list(CtapPcscDevice.list_devices(reader))
if not devices:
    print(json.dumps({"ok": False, "error": "no FIDO device on reader %s" % reader}))
    sys.exit(1)
device = devices[0]
ctap2 = Ctap2(device)
result = {"ok": True}

# PIN: set it over protocol 2, count retries, refuse a wrong one, take tokens over both protocols. Permissions are
# always named: python-fido2 0.9 sends getPinUvAuthTokenUsingPinWithPermissions without them when none are given, which
# CTAP 2.1 section 6.5.5.7 answers with MISSING_PARAMETER (as this key does).
CM = ClientPin.PERMISSION.CREDENTIAL_MGMT
ClientPin(ctap2, PinProtocolV2()).set_pin(pin)
result["retriesAfterSet"] = ClientPin(ctap2).get_pin_retries()[0]
try:
    ClientPin(ctap2, PinProtocolV2()).get_pin_token(pin + "0", CM)
    result["wrongPin"] = "accepted"
except CtapError as e:
    result["wrongPin"] = e.code.name
result["retriesAfterWrong"] = ClientPin(ctap2).get_pin_retries()[0]
ClientPin(ctap2, PinProtocolV1()).get_pin_token(pin, CM)
result["retriesAfterRight"] = ClientPin(ctap2).get_pin_retries()[0]

# hmac-secret through Fido2Client (which uses the PIN for UV; made now, as it reads getInfo once, and the PIN is set
# only now): a discoverable credential, the same output twice.
client = Fido2Client(device, origin)
server = Fido2Server({"id": "latchkey.localhost", "name": "Latchkey"}, attestation="none")
user = {"id": b"python-features", "name": "features@example.com"}
create_options, state = server.register_begin(user, resident_key=True, user_verification="required")
made = client.make_credential(dict(create_options["publicKey"], extensions={"hmacCreateSecret": True}), pin=pin)
auth_data = server.register_complete(state, made.client_data, made.attestation_object)
result["hmacCreateSecret"] = made.extension_results.get("hmacCreateSecret")
salt = bytes(range(32))
outputs = []
for _ in range(2):
    request_options, state = server.authenticate_begin([auth_data.credential_data], user_verification="required")
    got = client.get_assertion(dict(request_options["publicKey"], extensions={"hmacGetSecret": {"salt1": salt}}), pin=pin).get_response(0)
    server.authenticate_complete(state, [auth_data.credential_data], got.credential_id, got.client_data, got.authenticator_data, got.signature)
    outputs.append(got.extension_results["hmacGetSecret"]["output1"].hex())
result["hmacOutputs"] = outputs
result["credentialId"] = auth_data.credential_data.credential_id.hex()
result["salt"] = salt.hex()

# A second discoverable credential, for credential management to delete.
create_options, state = server.register_begin({"id": b"python-spare", "name": "spare@example.com"}, resident_key=True, user_verification="required")
server.register_complete(state, *(lambda m: (m.client_data, m.attestation_object))(client.make_credential(create_options["publicKey"], pin=pin)))

# Credential management with a cm token: metadata, the RP and its two credentials, delete the spare.
client_pin = ClientPin(ctap2, PinProtocolV2())
token = client_pin.get_pin_token(pin, ClientPin.PERMISSION.CREDENTIAL_MGMT)
credman = CredentialManagement(ctap2, client_pin.protocol, token)
result["existingCount"] = credman.get_metadata()[CredentialManagement.RESULT.EXISTING_CRED_COUNT]
rps = credman.enumerate_rps()
result["rpIds"] = [rp[CredentialManagement.RESULT.RP]["id"] for rp in rps]
creds = credman.enumerate_creds(rps[0][CredentialManagement.RESULT.RP_ID_HASH])
result["userNames"] = sorted(c[CredentialManagement.RESULT.USER]["name"] for c in creds)
spare = [c for c in creds if c[CredentialManagement.RESULT.USER]["name"] == "spare@example.com"][0]
credman.delete_cred(spare[CredentialManagement.RESULT.CREDENTIAL_ID])
result["countAfterDelete"] = credman.get_metadata()[CredentialManagement.RESULT.EXISTING_CRED_COUNT]

# authenticatorConfig with an acfg token: alwaysUv on, as getInfo then says.
token = client_pin.get_pin_token(pin, ClientPin.PERMISSION.AUTHENTICATOR_CFG)
Config(ctap2, client_pin.protocol, token).toggle_always_uv()
result["alwaysUv"] = ctap2.get_info().options.get("alwaysUv")

print(json.dumps(result))
