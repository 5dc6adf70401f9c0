// Model names for the AAGUIDs of security keys users own, to name a key when its USB product string is vague or absent (NFC).
//
// Sources: Yubico's "YubiKey Hardware FIDO2 AAGUIDs" support article, and the FIDO Metadata Service entries of the
// other vendors. Only hardware keys: platform authenticators never reach Latchkey over USB or NFC.

export const KNOWN_AUTHENTICATORS: ReadonlyMap<string, string> = new Map([
  // Yubico
  ['cb69481e-8ff7-4039-93ec-0a2729a154a8', 'YubiKey 5 Series'],
  ['ee882879-721c-4913-9775-3dfcce97072a', 'YubiKey 5 Series'],
  ['fa2b99dc-9e39-4257-8f92-4a30d23c4118', 'YubiKey 5 NFC'],
  ['2fc0579f-8113-47ea-b116-bb5a8db9202a', 'YubiKey 5 NFC'],
  ['73bb0cd4-e502-49b8-9c6f-b59445bf720b', 'YubiKey 5 FIPS Series'],
  ['c1f9a0bc-1dd2-404a-b27f-8e29047a43fd', 'YubiKey 5 NFC FIPS'],
  ['c5ef55ff-ad9a-4b9f-b580-adebafe026d0', 'YubiKey 5Ci'],
  ['85203421-48f9-4355-9bc8-8a53846e5083', 'YubiKey 5Ci FIPS'],
  ['d8522d9f-575b-4866-88a9-ba99fa02f35b', 'YubiKey Bio Series'],
  ['f8a011f3-8c0a-4d15-8006-17111f9edc7d', 'Security Key by Yubico'],
  ['b92c3f9a-c014-4056-887f-140a2501163b', 'Security Key by Yubico'],
  ['6d44ba9b-f6ec-2e49-b930-0c8fe920cb73', 'Security Key NFC by Yubico'],
  ['149a2021-8ef6-4133-96b8-81f8d5b7f1f5', 'Security Key NFC by Yubico'],
  ['a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa', 'Security Key NFC by Yubico (black)'],
  ['0bb43545-fd2c-4185-87dd-feb0b2916ace', 'Security Key NFC by Yubico, Enterprise Edition'],
  // Google
  ['42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3', 'Google Titan Security Key v2'],
  // Feitian
  ['12ded745-4bed-47d4-abaa-e713f51d6393', 'Feitian AllinOne FIDO2'],
  ['77010bd7-212a-4fc9-b236-d2ca5e9d4084', 'Feitian BioPass FIDO2'],
  ['ee041bce-25e5-4cdb-8f86-897fd6418464', 'Feitian ePass FIDO2-NFC'],
  ['234cd403-35a2-4cc2-8015-77ea280c77f5', 'Feitian ePass FIDO2-NFC'],
  ['2c0df832-92de-4be1-8412-88a8f074df4a', 'Feitian FIDO Smart Card'],
  // SoloKeys
  ['8876631b-d4a0-427f-5773-0ec71c9e0279', 'SoloKeys Solo'],
  ['8976631b-d4a0-427f-5773-0ec71c9e0279', 'SoloKeys Solo Tap'],
  // Token2
  ['ab32f0c6-2239-afbb-c470-d2ef4e254db7', 'TOKEN2 FIDO2 Security Key'],
  // HID Global
  ['692db549-7ae5-44d5-a1e5-dd20a493b723', 'HID Crescendo Key'],
  ['2d3bec26-15ee-4f5d-88b2-53622490270b', 'HID Crescendo Key V2'],
]);

/** USB vendor ids of FIDO key makers, for a name when neither the product string nor the AAGUID helps. */
export const KNOWN_VENDORS: ReadonlyMap<number, string> = new Map([
  [0x1050, 'YubiKey'],
  [0x18d1, 'Google Titan Security Key'],
  [0x0483, 'SoloKeys'],
  [0x1209, 'SoloKeys'],
  [0x20a0, 'Nitrokey'],
  [0x096e, 'Feitian'],
  [0x349e, 'TOKEN2'],
  [0x076b, 'HID Crescendo'],
]);

/** The AAGUID's model name; the all-zero AAGUID (keys that hide their model) and unknown ones give undefined. */
export function modelForAaguid(aaguid: string): string | undefined {
  return KNOWN_AUTHENTICATORS.get(aaguid.toLowerCase());
}
