import type { Store } from '../store/store.js';
import type { ApiDoc } from './api-doc.js';
import type { FactsCache } from './aggregate/capture-facts.js';
import type { IngestQueue } from './jobs.js';

/** What every route module gets. */
export interface ServerContext {
  store: Store;
  queue: IngestQueue;
  doc: ApiDoc;
  /** per-capture host and alert facts for the graph marks (captures never change once stored) */
  facts: FactsCache;
  /** the store's data directory: the kept capture files live here (packet detail, stream, export) */
  dataDir: string;
  /** where uploads are written before ingest */
  uploadsDir: string;
  maxUploadBytes: number;
  maxUploadFiles: number;
}
