import { PcaplensError } from '../../shared/errors.js';
import type { AuthStore } from '../../store/auth-store.js';
import { openAuthFor } from '../../store/auth-open.js';
import type { Store } from '../../store/store.js';
import { addUser, changePassword, checkPassword, removeUser } from '../../server/auth/accounts.js';
import { writeOut, type CliIo } from '../io.js';
import { STORE_HELP, STORE_OPTIONS, parseCommand, withStore, type StoreValues } from '../store-args.js';
import type { Command } from './command.js';

/** Readable the password comes from: io.stdin when a test gives one, else the process's stdin. */
type InputIo = CliIo & { stdin?: NodeJS.ReadableStream & { isTTY?: boolean } };

/** A team-mode listing (users, tokens): JSON, or one tab-separated line per row in its key order. */
export async function writeListing(
  io: CliIo,
  format: string | undefined,
  rows: Record<string, unknown>[],
  verb: string,
): Promise<void> {
  if (format === 'json') await writeOut(io.stdout, JSON.stringify(rows) + '\n');
  else if (format === undefined || format === 'table')
    for (const r of rows) await writeOut(io.stdout, Object.values(r).map(String).join('\t') + '\n');
  else throw new PcaplensError('E_USAGE', `${verb}: --format json or table`);
}

/** Runs fn with the team-mode user store of the command line's --store/--data (see store/auth-open.ts). */
export async function withAuth<T>(
  v: StoreValues,
  fn: (auth: AuthStore, store: Store) => Promise<T>,
): Promise<T> {
  return withStore(v, async (store, dataDir) => {
    const opened = await openAuthFor(store, dataDir);
    if (!opened)
      throw new PcaplensError(
        'E_USAGE',
        `the ${store.kind} store keeps no users: team mode needs DuckDB, PostgreSQL or ClickHouse`,
      );
    try {
      return await fn(opened.auth, store);
    } finally {
      await opened.close();
    }
  });
}

/**
 * The first line of stdin. On a terminal it is typed without echo; from a pipe (`--password-stdin`,
 * `printf %s "$PW" | pcaplens user add ann`) it is read as is. Never from argv: the process list and shell
 * history would show it.
 */
export async function readSecret(io: InputIo, prompt: string): Promise<string> {
  const input = io.stdin ?? process.stdin;
  const tty = input === process.stdin && process.stdin.isTTY;
  if (tty) io.stderr.write(prompt);
  if (tty) process.stdin.setRawMode(true);
  try {
    let text = '';
    for await (const chunk of input) {
      text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      if (tty && text.includes('\u0003')) throw new PcaplensError('E_USAGE', 'interrupted');
      const nl = text.search(/[\r\n]/);
      if (nl >= 0) {
        text = text.slice(0, nl);
        break;
      }
      if (text.length > 4096) throw new PcaplensError('E_USAGE', 'password too long');
    }
    return text;
  } finally {
    if (tty) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
      io.stderr.write('\n');
    }
  }
}

const help = `Usage: pcaplens user add NAME [--admin] [--password-stdin]
       pcaplens user passwd NAME [--password-stdin]
       pcaplens user list [--format json]
       pcaplens user rm NAME

Users of team mode (pcaplens serve --auth). Roles: admin (sees and manages every capture) and analyst (sees
the captures they uploaded, those shared with them and public ones). The password is read from stdin (typed
without echo on a terminal, or the first line of a pipe), never from the command line; at least 10
characters, kept as an scrypt hash. Changing a password logs the user out of every session (their API
tokens stay: pcaplens token rm). Removing a user revokes their tokens and sessions; the last admin
cannot be removed.

Options:
      --admin           the new user is an admin (default analyst)
      --password-stdin  read the password from stdin (the default; accepted for scripts that say so)
      --format json     user list as JSON
${STORE_HELP}
  -h, --help            this help

Example:
  printf '%s\\n' "$ADMIN_PASSWORD" | pcaplens user add ann --admin --password-stdin --data /srv/pcaplens
`;

export const userCommand: Command = {
  name: 'user',
  summary: 'team mode users: add, passwd, list, rm',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'user', {
      ...STORE_OPTIONS,
      admin: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(help);
      return 0;
    }
    const [verb, name, ...extra] = positionals;
    if (extra.length) throw new PcaplensError('E_USAGE', `user: unexpected '${extra[0]}'`);
    const needName = () => {
      if (!name) throw new PcaplensError('E_USAGE', `user ${verb}: no user name given`);
      return name;
    };
    switch (verb) {
      case 'add': {
        const n = needName();
        const pw = checkPassword(await readSecret(io as InputIo, `password for ${n}: `));
        await withAuth(v, async (auth) => {
          const u = await addUser(auth, n, v.admin ? 'admin' : 'analyst', pw);
          io.stderr.write(`pcaplens: user ${u.name} (${u.role}) added\n`);
        });
        return 0;
      }
      case 'passwd': {
        const n = needName();
        const pw = checkPassword(await readSecret(io as InputIo, `new password for ${n}: `));
        await withAuth(v, async (a) => {
          const ended = await changePassword(a, n, pw);
          io.stderr.write(`pcaplens: password of ${n} changed; ${ended} session(s) logged out\n`);
        });
        return 0;
      }
      case 'list': {
        await withAuth(v, async (auth) => {
          const users = await auth.listUsers();
          const rows = users.map((u) => ({
            id: u.id,
            name: u.name,
            role: u.role,
            created_at: new Date(u.created_at).toISOString(),
          }));
          await writeListing(io, v.format, rows, 'user list');
        });
        return 0;
      }
      case 'rm': {
        const n = needName();
        await withAuth(v, async (auth) => removeUser(auth, n));
        return 0;
      }
      default:
        throw new PcaplensError('E_USAGE', `user: give add, passwd, list or rm (see pcaplens user --help)`);
    }
  },
};
