import { PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  // A low cost keeps the test fast; the parameters travel inside the hash.
  const sut = new PasswordHasher(10);

  it('verifies the password it hashed and nothing else', async () => {
    const hash = await sut.hash('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    await expect(sut.verify('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(sut.verify('correct horse battery stapl', hash)).resolves.toBe(false);
    await expect(sut.verify('', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await sut.hash('same password')).not.toBe(await sut.hash('same password'));
  });

  it('verifies hashes made with another cost', async () => {
    const old = await new PasswordHasher(11).hash('p4ssword!');
    await expect(sut.verify('p4ssword!', old)).resolves.toBe(true);
  });

  it('treats unicode forms of the same password alike', async () => {
    const hash = await sut.hash('caf\u00e9-password');
    await expect(sut.verify('cafe\u0301-password', hash)).resolves.toBe(true);
  });

  it.each([
    ['no hash', null],
    ['an empty hash', ''],
    ['a malformed hash', 'scrypt$ln=10$abc'],
    ['another algorithm', '$2b$10$abcdefghijklmnopqrstuv'],
    ["SQL in place of a hash", "' OR 1=1 --"],
  ])('answers false for %s', async (_label, stored) => {
    await expect(sut.verify('whatever', stored)).resolves.toBe(false);
  });
});
