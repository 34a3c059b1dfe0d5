/** SNMP descriptor: ports 161 (agent) and 162 (traps). */
import type { ProtocolDescriptor } from '../../dissector.js';

export const snmp: ProtocolDescriptor = {
  id: 'snmp',
  name: 'Simple Network Management Protocol',
  fields: [
    { id: 'snmp.version', type: 'string', doc: 'v1, v2c or v3' },
    { id: 'snmp.community', type: 'string', doc: 'community string (v1/v2c, sent in clear)' },
    {
      id: 'snmp.pdu',
      type: 'string',
      doc: 'get, getnext, response, set, trap, getbulk, inform, trapv2, report',
    },
    { id: 'snmp.oid', type: 'string[]', doc: 'OIDs of the variable bindings' },
  ],
  bindings: [
    { table: 'udp.port', value: 161 },
    { table: 'udp.port', value: 162 },
  ],
};
