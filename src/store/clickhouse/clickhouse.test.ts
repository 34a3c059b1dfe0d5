import { storeConformance } from '../conformance.js';
import { ClickHouseStore } from './clickhouse-store.js';
import { clickhouseSkip, startTestCluster } from './test-cluster.js';

/**
 * The conformance suite on a two-shard ClickHouse cluster of two local server processes, started here
 * (or PCAPLENS_TEST_CLICKHOUSE). Fresh database per run, dropped with the cluster.
 */
const skip = clickhouseSkip();

storeConformance(
  'clickhouse (2 shards)',
  async () => {
    const cluster = await startTestCluster();
    const store = await ClickHouseStore.open(cluster.url);
    return { store, dispose: () => cluster.stop() };
  },
  skip,
);
