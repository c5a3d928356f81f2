import { SqliteStore } from './sqlite.ts';
import { storeContract } from './store.contract.ts';
import { tempDir } from '../test-support/harness.ts';

storeContract('SQLite', async () => {
  const dir = tempDir('quire-sqlite-');
  const store = new SqliteStore(dir.path);
  return {
    store,
    async cleanup() {
      await store.close();
      dir.cleanup();
    },
  };
});
