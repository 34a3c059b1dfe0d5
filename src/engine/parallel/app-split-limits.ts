/**
 * The app split's limits, apart from app-split.ts so that the command line can show and check them without
 * loading the split (and the application layer behind it).
 */

/** Plain files from this size on are split (a worker costs ~0.1 s to start); as flow-split.ts. */
export const APP_SPLIT_MIN_SIZE = 64 * 1024 * 1024;
export const APP_SPLIT_MAX_THREADS = 16;
