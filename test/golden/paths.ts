/** Where the golden tests find their captures: the shipped fixtures, and the team corpus when it is present. */
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const FIXTURE_ORACLE_DIR = fileURLToPath(new URL('../fixtures/oracle/', import.meta.url));
/** ../shared/corpus relative to the repository root */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
