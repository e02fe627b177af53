import { createHash, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from './csr.ts';
import {
  type EncryptionKeyPair,
  generateEncryptionKey,
  generateSigningKey,
  type SigningKeyPair,
} from './keys.ts';
import {
  createEnrolmentChallenge,
  createProofOfPossession,
  type HubEnrolmentChallenge,
  type ProofOfPossession,
  type ProofSubmission,
  verifyProofOfPossession,
} from './proof-of-possession.ts';

const TOKEN = 'inv_3kT9wq0Zb1';
const code = (expected: string) => expect.objectContaining({ code: expected });

type NodeKeys = {
  tls: { csrPem: string; keyPem: string };
  signing: SigningKeyPair;
  encryption: EncryptionKeyPair;
};

let node: NodeKeys;
let other: NodeKeys;
let hub: HubEnrolmentChallenge;
let proof: ProofOfPossession;

async function makeNodeKeys(nodeId: string): Promise<NodeKeys> {
  return {
    tls: createCsr({ nodeId }),
    signing: await generateSigningKey(),
    encryption: await generateEncryptionKey(),
  };
}

function prove(keys: NodeKeys, challenge = hub.challenge, token = TOKEN, nodeId = 'BD') {
  return createProofOfPossession(
    { nodeId, token, challenge },
    {
      tlsKeyPem: keys.tls.keyPem,
      signingPrivateJwk: keys.signing.privateJwk,
      encryptionPrivateJwk: keys.encryption.privateJwk,
    },
  );
}

function submission(overrides: Partial<ProofSubmission> = {}): ProofSubmission {
  return {
    nodeId: 'BD',
    token: TOKEN,
    challenge: hub.challenge,
    hubPrivateJwk: hub.hubPrivateJwk,
    csrPem: node.tls.csrPem,
    signingPublicJwk: node.signing.publicJwk,
    encryptionPublicJwk: node.encryption.publicJwk,
    proof,
    ...overrides,
  };
}

/** Change one character in the middle of a base64url string. */
function flip(value: string): string {
  const i = Math.floor(value.length / 2);
  return `${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`;
}

beforeAll(async () => {
  node = await makeNodeKeys('BD');
  other = await makeNodeKeys('BD');
  hub = await createEnrolmentChallenge();
  proof = await prove(node);
});

describe('proof of possession at enrolment', () => {
  it('accepts proofs from the holder of all three keys and reports their fingerprints', async () => {
    const verified = await verifyProofOfPossession(submission());
    expect(verified.signingKid).toBe(node.signing.kid);
    expect(verified.encryptionKid).toBe(node.encryption.kid);
    const spki = createPublicKey(node.tls.keyPem).export({ type: 'spki', format: 'der' });
    expect(verified.tlsKeyFingerprint).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(verified.csr.commonName).toBe('BD');
  });

  it('gives a fresh nonce and hub key per challenge', async () => {
    const next = await createEnrolmentChallenge();
    expect(next.challenge.nonce).not.toBe(hub.challenge.nonce);
    expect(next.challenge.hubPublicJwk.x).not.toBe(hub.challenge.hubPublicJwk.x);
    expect(Buffer.from(next.challenge.nonce, 'base64url')).toHaveLength(32);
    expect(next.challenge.hubPublicJwk).not.toHaveProperty('d');
  });

  it.each([
    ['tlsProof', /TLS key/],
    ['signingProof', /signing key/],
    ['encryptionProof', /encryption key/],
  ] as const)('refuses a tampered %s, naming the key', async (field, message) => {
    const tampered = { ...proof, [field]: flip(proof[field]) };
    await expect(verifyProofOfPossession(submission({ proof: tampered }))).rejects.toThrow(message);
    await expect(verifyProofOfPossession(submission({ proof: tampered }))).rejects.toThrow(
      code('ERR_POP_INVALID'),
    );
  });

  it('refuses a missing or malformed proof', async () => {
    const broken = { tlsProof: '', signingProof: 'x', encryptionProof: '!' };
    await expect(verifyProofOfPossession(submission({ proof: broken }))).rejects.toThrow(
      code('ERR_POP_INVALID'),
    );
  });

  it('refuses the proof for another token (a stolen proof cannot ride on a different invitation)', async () => {
    await expect(verifyProofOfPossession(submission({ token: 'inv_other' }))).rejects.toThrow(
      code('ERR_POP_INVALID'),
    );
  });

  it('refuses a proof replayed against a new challenge', async () => {
    const next = await createEnrolmentChallenge();
    await expect(
      verifyProofOfPossession(submission({ challenge: next.challenge, hubPrivateJwk: next.hubPrivateJwk })),
    ).rejects.toThrow(code('ERR_POP_INVALID'));
  });

  it('refuses a hub private key that does not belong to the challenge', async () => {
    const next = await createEnrolmentChallenge();
    await expect(verifyProofOfPossession(submission({ hubPrivateJwk: next.hubPrivateJwk }))).rejects.toThrow(
      /hub key does not belong/,
    );
  });

  it('refuses public keys swapped for someone else’s', async () => {
    await expect(
      verifyProofOfPossession(submission({ signingPublicJwk: other.signing.publicJwk })),
    ).rejects.toThrow(code('ERR_POP_INVALID'));
    await expect(
      verifyProofOfPossession(submission({ encryptionPublicJwk: other.encryption.publicJwk })),
    ).rejects.toThrow(code('ERR_POP_INVALID'));
    await expect(verifyProofOfPossession(submission({ csrPem: other.tls.csrPem }))).rejects.toThrow(
      code('ERR_POP_INVALID'),
    );
  });

  it('refuses proofs made for another encryption key than the one submitted', async () => {
    // The node proves with keys it holds, then claims another encryption key: every proof
    // covers the claimed key, so nothing verifies.
    const mixed = await prove({ ...node, encryption: other.encryption });
    await expect(verifyProofOfPossession(submission({ proof: mixed }))).rejects.toThrow(
      code('ERR_POP_INVALID'),
    );
  });

  it('applies the CSR checks: the CSR must name the enrolling node', async () => {
    await expect(verifyProofOfPossession(submission({ nodeId: 'NP' }))).rejects.toThrow(
      code('ERR_CSR_INVALID'),
    );
  });

  it('refuses keys of the wrong kind', async () => {
    await expect(
      verifyProofOfPossession(submission({ signingPublicJwk: node.encryption.publicJwk })),
    ).rejects.toThrow(code('ERR_POP_INVALID'));
    await expect(
      createProofOfPossession(
        { nodeId: 'BD', token: TOKEN, challenge: hub.challenge },
        {
          tlsKeyPem: node.tls.keyPem,
          signingPrivateJwk: node.encryption.privateJwk,
          encryptionPrivateJwk: node.encryption.privateJwk,
        },
      ),
    ).rejects.toThrow(code('ERR_KEY_INVALID'));
  });
});
