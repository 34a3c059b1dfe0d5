// Writes docs/fields.md from the field catalog (see src/engine/fields-doc.ts).
import { writeFileSync } from 'node:fs';
import { fieldsMarkdown } from '../src/engine/fields-doc.js';

writeFileSync(new URL('../docs/fields.md', import.meta.url), fieldsMarkdown());
