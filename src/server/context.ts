import type { Store } from '../store/store.js';
import type { ApiDoc } from './api-doc.js';
import type { AuthContext } from './auth/context.js';
import type { FactsCache } from './aggregate/capture-facts.js';
import type { IngestQueue } from './jobs.js';
import type { MinUploadRate } from './upload.js';

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
  /** upload requests being received at once, beyond which a new one is answered 429 */
  maxConcurrentUploads: number;
  /** ingest jobs queued or running, beyond which an upload is answered 429 */
  maxQueuedJobs: number;
  /** null: no minimum */
  minUploadRate: MinUploadRate | null;
  /** upload requests being received now */
  uploadsInFlight: number;
  /** team mode (serve --auth): users, ownership; null or absent in single-user mode */
  auth?: AuthContext | null;
}
