/** Where the application layer's rows go (the engine passes store writers or collectors). */
import type {
  CredentialRow,
  DhcpRow,
  DnsRow,
  FileRow,
  HttpRow,
  SshRow,
  TlsRow,
} from '../../../shared/app-rows.js';
import type { ReassemblyProblem } from '../types.js';

export interface AppSinks {
  dns?(row: DnsRow): void;
  http?(row: HttpRow): void;
  tls?(row: TlsRow): void;
  dhcp?(row: DhcpRow): void;
  credential?(row: CredentialRow): void;
  file?(row: FileRow): void;
  ssh?(row: SshRow): void;
  /** a reassembly limit forced a gap (turn into a Problem with code E_LIMIT) */
  problem?(p: ReassemblyProblem): void;
}
