// Names of COSE algorithms (IANA COSE Algorithms registry) for messages such as "expected -7 (ES256)".

const NAMES: ReadonlyMap<number, string> = new Map([
  [-7, 'ES256'],
  [-8, 'EdDSA'],
  [-35, 'ES384'],
  [-36, 'ES512'],
  [-37, 'PS256'],
  [-47, 'ES256K'],
  [-257, 'RS256'],
  [-65535, 'RS1'],
]);

export function coseAlgorithmName(alg: unknown): string {
  return typeof alg === 'number' ? `${alg} (${NAMES.get(alg) ?? 'unknown'})` : (JSON.stringify(alg) ?? 'missing');
}
