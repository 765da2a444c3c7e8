import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id in @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

/** argon2id password hashing (OWASP parameters by default: 19 MiB, 2 passes, 1 lane). */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly memoryKiB: number) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, memoryCost: this.memoryKiB, timeCost: 2, parallelism: 1 });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real check, so an unknown e-mail cannot be told apart by timing. */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('carebook-dummy-password-for-timing');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
