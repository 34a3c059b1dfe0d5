import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fieldsMarkdown } from './fields-doc.js';

test('docs/fields.md is the one the catalog generates (run `npm run docs:fields` after adding fields)', () => {
  const onDisk = readFileSync(new URL('../../docs/fields.md', import.meta.url), 'utf8');
  assert.equal(onDisk, fieldsMarkdown());
});

test('every catalog field and every table appears in the generated doc', () => {
  const md = fieldsMarkdown();
  for (const id of ['ip.addr', 'tcp.port', 'flow.id', 'frame.len'])
    assert.ok(md.includes(`| \`${id}\` |`), id);
  for (const t of ['flows', 'hosts', 'dns', 'http', 'tls', 'packets'])
    assert.ok(md.includes(`\`${t}\` table`), t);
});
