import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeviceProfiles } from './device-profile.js';
import { dhcpHint, initialTtl, ttlHint, userAgentHint } from './os-hints.js';
import { flow } from '../analyze/test-support.js';
import { bundledMacVendors } from './mac-vendor-data.js';

test('initial TTL guesses at the edges', () => {
  assert.deepEqual([64, 63, 65, 128, 129, 255, 0, 256].map(initialTtl), [
    64,
    64,
    128,
    128,
    255,
    255,
    null,
    null,
  ]);
  assert.equal(ttlHint(57)!.os, 'Linux/Unix/macOS/Android/iOS');
  assert.equal(ttlHint(121)!.os, 'Windows');
  assert.match(ttlHint(250)!.os, /network device/);
  assert.match(ttlHint(121)!.detail, /7 hops/);
});

test('DHCP and User-Agent hints', () => {
  assert.equal(dhcpHint('1,3,6,15,31,33,43,44,46,47,119,121,249,252')!.os, 'Windows 10/11');
  assert.equal(dhcpHint('1,121,3,6,15,119,252,95,44,46')!.os, 'macOS');
  assert.equal(dhcpHint('1,3,6,249,43,99')!.os, 'Windows');
  assert.equal(dhcpHint(null, 'MSFT 5.0')!.os, 'Windows');
  assert.equal(dhcpHint('1,3,6'), null);
  assert.equal(dhcpHint('1,3,x'), null);
  assert.equal(userAgentHint('Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36')!.os, 'Android');
  assert.equal(userAgentHint('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')!.os, 'iOS/iPadOS');
  assert.equal(userAgentHint('Mozilla/5.0 (Windows NT 10.0; Win64; x64)')!.os, 'Windows (NT 10.0)');
  assert.equal(userAgentHint('Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0)')!.os, 'Linux');
  assert.equal(userAgentHint('curl/8.0'), null);
});

test('profiles: gateway by off-LAN traffic, DNS/DHCP/web servers, vendor, OS guess', () => {
  const gwMac = '00:00:0c:07:ac:01'; // Cisco
  const flows = [
    flow({
      src_ip: '192.168.1.10',
      dst_ip: '93.184.216.34',
      src_mac: 'f0:18:98:00:00:01',
      dst_mac: gwMac,
      bytes_rev: 50000,
    }),
    flow({ src_ip: '192.168.1.11', dst_ip: '8.8.8.8', src_mac: '02:42:ac:00:00:02', dst_mac: gwMac }),
    // a LAN printer reached directly: its MAC must not become the gateway
    flow({
      src_ip: '192.168.1.10',
      dst_ip: '192.168.1.50',
      dst_port: 80,
      src_mac: 'f0:18:98:00:00:01',
      dst_mac: '00:11:22:99:99:99',
    }),
    flow({
      proto: 'udp',
      src_ip: '192.168.1.10',
      dst_ip: '192.168.1.1',
      dst_port: 53,
      src_mac: 'f0:18:98:00:00:01',
      dst_mac: gwMac,
      tcp_flags: null,
      tcp_state: null,
    }),
  ];
  const t = bundledMacVendors();
  const p = buildDeviceProfiles({
    flows,
    dhcp: [
      {
        flow_id: 9,
        ts: flows[0]!.first_ts,
        client_ip: '0.0.0.0',
        server_ip: '192.168.1.1',
        msg_type: 'ACK',
        client_mac: 'f0:18:98:00:00:01',
        requested_ip: null,
        assigned_ip: '192.168.1.10',
        host_name: null,
        vendor_class: null,
        param_request_list: '1,121,3,6,15,119,252,95,44,46',
        server_id: '192.168.1.1',
      },
    ],
    observedTtl: new Map([
      ['192.168.1.10', 64],
      ['192.168.1.11', 128],
    ]),
    vendorOf: (m) => t.vendor(m),
  });
  const by = new Map(p.map((x) => [x.ip, x]));
  const gw = by.get('192.168.1.1')!;
  assert.deepEqual(gw.roles, ['dhcp_server', 'dns_server', 'gateway']);
  assert.equal(gw.vendor, 'Cisco Systems, Inc');
  assert.match(gw.role_evidence['gateway']!, /2 LAN host/);
  const mac = by.get('192.168.1.10')!;
  assert.equal(mac.os_guess, 'macOS');
  assert.equal(mac.vendor, 'Apple, Inc.');
  assert.deepEqual(mac.roles, ['client']);
  assert.equal(mac.scope, 'lan');
  const docker = by.get('192.168.1.11')!;
  assert.equal(docker.vendor, null, 'locally administered MAC has no vendor');
  assert.equal(docker.os_guess, 'Windows');
  assert.deepEqual(by.get('192.168.1.50')!.roles, ['web_server']);
  assert.equal(by.get('8.8.8.8')!.scope, 'public');
  assert.deepEqual(by.get('8.8.8.8')!.macs, []);
});
