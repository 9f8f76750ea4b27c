import { createDemoCredentials } from '../auth/demo-credentials';
import { userCliContext } from './user-cli-context';

async function run(): Promise<void> {
  const { organization, apiKeysFile, enroller } = userCliContext();
  const result = await createDemoCredentials(organization, apiKeysFile, enroller);
  if (!result.created) {
    process.stdout.write(
      `${result.keysFile} exists; no new keys. Plaintext demo keys, if created earlier: ${result.credentialsFile}\n`,
    );
    return;
  }
  process.stdout.write(
    [
      `Created ${String(result.count)} API keys of ${organization.mspId} (stored hashed) in ${result.keysFile}` +
        (enroller === undefined ? '.' : ', each for a user enrolled at the organization’s CA.'),
      `Plaintext keys: ${result.credentialsFile} (mode 0600; columns: clientId mspId role key).`,
      '',
    ].join('\n'),
  );
}

run().catch((err: unknown) => {
  process.stderr.write(`demo-credentials: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
