/** Where the application layer's rows go (the engine passes store writers or collectors). */
import type {
  CredentialRow,
  DhcpRow,
  DnsRow,
  FileRow,
  HttpRow,
  SshRow,
  SmbRow,
  SipRow,
  NtpRow,
  TlsRow,
} from '../../../shared/app-rows.js';
import type { ReassemblyProblem } from '../types.js';

export interface AppSinks {
  dns?(row: DnsRow): void;
  http?(row: HttpRow): void;
  tls?(row: TlsRow): void;
  dhcp?(row: DhcpRow): void;
  credential?(row: CredentialRow): void;
  /**
   * content: the file's bytes when the layer was asked to keep them (AppLayerOptions.keepFileBytes), cut at
   * that cap (content.length < row.size then); valid during the call only when the caller does not copy it
   */
  file?(row: FileRow, content?: Uint8Array | null): void;
  ssh?(row: SshRow): void;
  smb?(row: SmbRow): void;
  sip?(row: SipRow): void;
  ntp?(row: NtpRow): void;
  /** a reassembly limit forced a gap (turn into a Problem with code E_LIMIT) */
  problem?(p: ReassemblyProblem): void;
}
