export { default as View } from './View.svelte';
export const TABLE_VIEWS = [
  'hosts',
  'flows',
  'dns',
  'http',
  'tls',
  'dhcp',
  'credentials',
  'files',
  'alerts',
  'ssh',
  'packets',
] as const;
export const TABLE_LABELS: Record<string, string> = {
  hosts: 'Hosts',
  flows: 'Sessions',
  dns: 'DNS',
  http: 'HTTP',
  tls: 'TLS',
  dhcp: 'DHCP',
  credentials: 'Credentials',
  files: 'Files',
  alerts: 'Alerts',
  ssh: 'SSH',
  packets: 'Packets',
};
