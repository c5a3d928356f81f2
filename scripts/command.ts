/** Runs an operator command: prints its result, or its error's message alone, and sets the exit code. */
import { ConfigError } from '../server/config.ts';
import { BackupError } from '../server/ops/backup.ts';

export async function runCommand(body: () => Promise<string>): Promise<void> {
  try {
    console.log(await body());
  } catch (error) {
    const expected = error instanceof BackupError || error instanceof ConfigError || (error instanceof Error && error.message.startsWith('usage:'));
    console.error(expected ? (error as Error).message : error);
    process.exitCode = expected ? 2 : 1;
  }
}
