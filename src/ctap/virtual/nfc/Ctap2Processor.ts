// What the virtual NFC card needs from an authenticator: one CTAP2 request in, one answer out (VirtualAuthenticator satisfies it).

export interface Ctap2ProcessOptions {
  /** Aborted when the client cancels (NFCCTAP_GETRESPONSE P1 0x11) or the card leaves the field; the answer is then CTAP2_ERR_KEEPALIVE_CANCEL. */
  signal: AbortSignal;
  /** The authenticator's keepalive status (1 processing, 2 user presence needed); the card repeats it in its 9100 answers. */
  onKeepalive: (status: number) => void;
}

export interface Ctap2Processor {
  /** `request` is the command byte + CBOR; resolves with the status byte + CBOR. */
  processCtap2(request: Uint8Array, opts: Ctap2ProcessOptions): Promise<Uint8Array>;
}
