/** node's reverse resolver for ReverseDns: used only when the user passes --resolve. */
import { promises as dns } from 'node:dns';
import { ReverseDns, type ReverseDnsOptions } from './reverse-dns.js';

export function createSystemReverseDns(opts: ReverseDnsOptions = {}): ReverseDns {
  return new ReverseDns((ip) => dns.reverse(ip), opts);
}
