import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, cost: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** cost;
  // scrypt needs 128 * N * r bytes; Node refuses anything above maxmem (32 MiB by default).
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Passwords are hashed with scrypt (memory-hard, built into Node). The hash records its own
 * parameters (`scrypt$ln=17,r=8,p=1$<salt>$<key>`), so raising the cost later keeps old hashes
 * verifiable. Verification compares in constant time, and a missing user costs the same as a
 * wrong password, so response times do not reveal which emails exist.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;

  /** @param cost log2 of scrypt's N. */
  constructor(private readonly cost: number) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.cost, BLOCK_SIZE, PARALLELISM);
    return `scrypt$ln=${this.cost},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** False for a wrong password, a malformed hash, or no hash at all (after the same work). */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    const parsed = stored ? FORMAT.exec(stored) : null;
    if (!parsed) {
      await this.verify(password, await (this.dummy ??= this.hash(randomBytes(16).toString('hex'))));
      return false;
    }
    const [, cost, r, p, salt, expected] = parsed;
    const expectedKey = Buffer.from(expected, 'base64');
    const key = await derive(password, Buffer.from(salt, 'base64'), Number(cost), Number(r), Number(p));
    return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
  }
}
