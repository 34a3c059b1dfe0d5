import { PcaplensError } from '../../shared/errors.js';
import { createToken, userNamed } from '../../server/auth/accounts.js';
import { writeOut, type CliIo } from '../io.js';
import { STORE_HELP, STORE_OPTIONS, parseCommand } from '../store-args.js';
import type { Command } from './command.js';
import { withAuth, writeListing } from './user.js';

const help = `Usage: pcaplens token create NAME --user USER
       pcaplens token list [--user USER] [--format json]
       pcaplens token rm NAME --user USER

API tokens for team mode (pcaplens serve --auth), for scripts: send them as
\`Authorization: Bearer TOKEN\`. A token acts as its user (same captures, same role) and needs no CSRF header.
\`create\` prints the token once on stdout; only its SHA-256 is kept, so it cannot be shown again.
\`rm\` revokes it at once.

Options:
      --user USER    the user the token belongs to
      --format json  token list as JSON
${STORE_HELP}
  -h, --help         this help

Example:
  TOKEN=$(pcaplens token create ci --user ann)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:5000/api/captures
`;

export const tokenCommand: Command = {
  name: 'token',
  summary: 'team mode API tokens: create (printed once), list, rm',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'token', {
      ...STORE_OPTIONS,
      user: { type: 'string', short: 'u' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(help);
      return 0;
    }
    const [verb, name, ...extra] = positionals;
    if (extra.length) throw new PcaplensError('E_USAGE', `token: unexpected '${extra[0]}'`);
    const needNameAndUser = () => {
      if (!name) throw new PcaplensError('E_USAGE', `token ${verb}: no token name given`);
      if (!v.user) throw new PcaplensError('E_USAGE', `token ${verb}: --user USER is required`);
      return { name, user: v.user };
    };
    switch (verb) {
      case 'create': {
        const a = needNameAndUser();
        await withAuth(v, async (auth) => {
          const { token } = await createToken(auth, a.user, a.name);
          await writeOut(io.stdout, `${token}\n`);
        });
        return 0;
      }
      case 'list': {
        await withAuth(v, async (auth) => {
          const users = new Map((await auth.listUsers()).map((u) => [u.id, u.name]));
          const only = v.user ? (await userNamed(auth, v.user)).id : undefined;
          const rows = (await auth.listTokens(only)).map((t) => ({
            id: t.id,
            name: t.name,
            user: users.get(t.user_id) ?? null,
            created_at: new Date(t.created_at).toISOString(),
          }));
          await writeListing(io, v.format, rows, 'token list');
        });
        return 0;
      }
      case 'rm': {
        const a = needNameAndUser();
        await withAuth(v, async (auth) => {
          const u = await userNamed(auth, a.user);
          const t = (await auth.listTokens(u.id)).find((x) => x.name === a.name);
          if (!t) throw new PcaplensError('E_NOT_FOUND', `user ${a.user} has no token named ${a.name}`);
          await auth.deleteToken(t.id);
        });
        return 0;
      }
      default:
        throw new PcaplensError('E_USAGE', 'token: give create, list or rm (see pcaplens token --help)');
    }
  },
};
