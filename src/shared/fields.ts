/**
 * The field catalog contract. Every protocol folder declares its fields; the same dotted id names the column,
 * the filter field, the API field and the doc line (docs/fields.md is generated from the catalog).
 */
export type FieldType = 'string' | 'int' | 'float' | 'bool' | 'ip' | 'mac' | 'time' | 'bytes' | 'string[]';

export interface FieldDef {
  /** dotted, stable: "ip.src", "tcp.dstport", "dns.query_name" */
  id: string;
  type: FieldType;
  /** one line of documentation */
  doc: string;
}
