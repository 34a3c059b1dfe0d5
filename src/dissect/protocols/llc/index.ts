import type { ProtocolDescriptor } from '../../dissector.js';

export const llc: ProtocolDescriptor = {
  id: 'llc',
  name: 'IEEE 802.2 Logical Link Control (with SNAP)',
  fields: [],
  bindings: [],
};
