import type { Migration } from './ddl.js';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-capture-summary.js';
import { migration003 } from './003-alerts-and-host-profile.js';
import { migration004 } from './004-ssh.js';
import { migration005 } from './005-host-ttl-file-magic.js';
import { migration006 } from './006-auth.js';
import { migration007 } from './007-smb-sip-ntp.js';

/** Every migration, in version order. Append new ones; never edit or reorder applied ones. */
export const MIGRATIONS: Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
];
