# python-fido2's side of the getInfo bench: times authenticatorGetInfo round trips to the card on one PC/SC reader.
# Usage: python_fido2_getinfo.py READER. Prints "ready"; then for each line "N" on stdin it times N getInfo calls and
# prints one JSON line {"samplesMs": [...]}, so the bench can alternate small batches with its own client.
import json
import sys
import time

from fido2.ctap2 import Ctap2
from fido2.pcsc import CtapPcscDevice

reader = sys.argv[1]
devices = list(CtapPcscDevice.list_devices(reader))
if not devices:
    print(json.dumps({"error": "no FIDO device on reader %s" % reader}), flush=True)
    sys.exit(1)
device = devices[0]
ctap2 = Ctap2(device)  # reads getInfo once itself
for _ in range(3):
    ctap2.get_info()
print("ready", flush=True)
for line in sys.stdin:
    count = int(line)
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        ctap2.get_info()
        samples.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"samplesMs": samples}), flush=True)
device.close()
