import { PcaplensError } from '../../shared/errors.js';
import { userNamed } from '../../server/auth/accounts.js';
import { jsonObject } from '../format/json.js';
import { terminalSafe } from '../format/terminal-safe.js';
import { writeOut, type CliIo } from '../io.js';
import { STORE_HELP, STORE_OPTIONS, captureId, parseCommand, type StoreValues } from '../store-args.js';
import type { Command } from './command.js';
import { withAuth } from './user.js';

const help = `Usage: pcaplens share <ID> [--with NAME]... [--unshare NAME]... [--public | --private] [--format json]

Who may read a stored capture in team mode (pcaplens serve --auth), from the command line: the same as the
Share dialog of the web app, for an administrator of the server. --with lets a user read the capture,
--unshare stops that, --public lets every user read it and --private undoes --public (the owner, those it
is shared with and admins still read it). With no option it prints the capture's owner, public flag and
users. The owner is set when the capture is uploaded, or with pcaplens import --owner NAME.

Options:
      --with NAME       share with this user (repeatable)
      --unshare NAME    stop sharing with this user (repeatable)
      --public          every user may read the capture
      --private         only its owner, the users it is shared with and admins
  -f, --format FMT      text (default) or json for the printed access
${STORE_HELP}
  -h, --help            this help

Example:
  pcaplens share @3 --with bob --data /srv/pcaplens
`;

interface Access {
  id: number;
  owner: string | null;
  public: boolean;
  shared_with: string[];
}

export const shareCommand: Command = {
  name: 'share',
  summary: 'team mode: share a stored capture with users, or with everyone (--public)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'share', {
      ...STORE_OPTIONS,
      with: { type: 'string', multiple: true },
      unshare: { type: 'string', multiple: true },
      public: { type: 'boolean' },
      private: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      await writeOut(io.stdout, help);
      return 0;
    }
    if (positionals.length !== 1)
      throw new PcaplensError('E_USAGE', 'share: give one capture id (pcaplens share @3 --with NAME)');
    if (v.public && v.private) throw new PcaplensError('E_USAGE', 'share: --public or --private, not both');
    const format = v.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new PcaplensError('E_USAGE', `share: --format must be text or json, not '${format}'`);
    const id = captureId(positionals[0]!, 'share');
    const access = await shareWith(v, id, {
      with: v.with ?? [],
      unshare: v.unshare ?? [],
      public: v.public ? true : v.private ? false : undefined,
    });
    if (format === 'json') await writeOut(io.stdout, jsonObject(access));
    else
      await writeOut(
        io.stdout,
        `capture ${access.id}: owner ${terminalSafe(access.owner ?? '(none: admins only)')}, ` +
          `${access.public ? 'public' : 'not public'}, shared with ` +
          `${access.shared_with.length ? access.shared_with.map((n) => terminalSafe(n)).join(', ') : 'nobody'}\n`,
      );
    return 0;
  },
};

/** Applies the changes (all users are checked first: a wrong name changes nothing) and returns the access. */
async function shareWith(
  v: StoreValues,
  id: number,
  change: { with: string[]; unshare: string[]; public: boolean | undefined },
): Promise<Access> {
  return withAuth(v, async (auth, store) => {
    if (!(await store.getCapture(id)))
      throw new PcaplensError('E_NOT_FOUND', `share: no stored capture with id ${id}`);
    const add = await Promise.all(change.with.map((n) => userNamed(auth, n)));
    const drop = await Promise.all(change.unshare.map((n) => userNamed(auth, n)));
    for (const u of add) await auth.shareCapture(id, u.id);
    for (const u of drop) await auth.unshareCapture(id, u.id);
    if (change.public !== undefined) await auth.setCapturePublic(id, change.public);
    const acc = await auth.captureAccess(id);
    const nameOf = async (uid: number) => (await auth.userById(uid))?.name ?? null;
    return {
      id,
      owner: acc.owner_id === null ? null : await nameOf(acc.owner_id),
      public: acc.public,
      shared_with: (await Promise.all(acc.shared_with.map(nameOf))).filter((n): n is string => n !== null),
    };
  });
}
