import type { Packet, ProtocolDescriptor } from '../../dissector.js';
import { P_EAPOL } from '../../proto-ids.js';
import { decodeRadiotap, decodeWlan } from './decode.js';

function markEapol(p: Packet): void {
  p.mark(P_EAPOL);
}

export const ieee80211: ProtocolDescriptor = {
  id: 'ieee80211',
  name: 'IEEE 802.11 wireless LAN (plain and radiotap)',
  fields: [
    { id: 'wlan.fc.type', type: 'int', doc: '802.11 frame type (0 management, 1 control, 2 data)' },
    { id: 'wlan.fc.subtype', type: 'int', doc: '802.11 frame subtype' },
    { id: 'wlan.fc.protected', type: 'bool', doc: 'frame body is encrypted' },
  ],
  bindings: [
    { table: 'link', value: 105, decode: decodeWlan },
    { table: 'link', value: 127, decode: decodeRadiotap },
    // 802.1X / EAPOL key exchanges (WPA handshakes): counted
    { table: 'ethertype', value: 0x888e, decode: markEapol },
  ],
};
