# A TCP relay between vpcd and a virtual card that acknowledges every segment at once (Linux TCP_QUICKACK).
#
# vpcd writes each message as two segments (length, then payload) without TCP_NODELAY, so Nagle holds the payload
# until the length is acknowledged, and the card's delayed ACK makes that ~40 ms per message for every PC/SC client.
# Benchmarks put this relay in between to measure the clients rather than that timer.
# Usage: quickack_relay.py VPCD_PORT -> prints "ready PORT" once listening on 127.0.0.1:PORT; relays one card connection.
import select
import socket
import sys

vpcd_port = int(sys.argv[1])
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen(1)
print("ready %d" % server.getsockname()[1], flush=True)
card, _ = server.accept()
vpcd = socket.create_connection(("127.0.0.1", vpcd_port))
peer = {card: vpcd, vpcd: card}
for s in peer:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
while True:
    readable, _, _ = select.select(list(peer), [], [])
    for s in readable:
        data = s.recv(65536)
        if not data:
            sys.exit(0)
        # Linux drops quick-ACK mode on its own; re-arming it also sends the ACK still pending for this read.
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        peer[s].sendall(data)
