import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowRoles, isServicePort, serverSentFirst, startedBeforeCapture } from './flow-roles.js';
import { groupMac } from './analyses/beaconing.js';
import { flow } from './test-support.js';

test('flowRoles: the first sender is the client unless it sent from a service port to a non-service port', () => {
  const c = flowRoles(flow({ src_ip: '10.0.0.2', src_port: 50000, dst_ip: '192.0.2.1', dst_port: 443 }));
  assert.deepEqual(c, {
    client_ip: '10.0.0.2',
    client_port: 50000,
    server_ip: '192.0.2.1',
    server_port: 443,
    reversed: false,
  });
  const r = flowRoles(
    flow({ src_ip: '192.0.2.1', src_port: 53, dst_ip: '10.0.0.2', dst_port: 45796, app: 'dns' }),
  );
  assert.equal(r.reversed, true);
  assert.equal(r.server_ip, '192.0.2.1');
  assert.equal(r.server_port, 53);
  // both ends on service ports (NTP 123 <-> 123, NFS client from a privileged port): kept as seen
  assert.equal(flowRoles(flow({ src_port: 123, dst_port: 123 })).reversed, false);
  assert.equal(flowRoles(flow({ src_port: 700, dst_port: 2049 })).reversed, false);
  // mDNS answer from 5353 to a querier's ephemeral port; a DNS flow from 53 even towards a listed port
  assert.equal(flowRoles(flow({ src_port: 5353, dst_port: 40000, app: 'mdns' })).reversed, true);
  assert.equal(flowRoles(flow({ src_port: 53, dst_port: 8080, app: 'dns' })).reversed, true);
  // no ports (ICMP): as seen
  assert.equal(flowRoles(flow({ proto: 'icmp', src_port: null, dst_port: null })).reversed, false);
});

test('isServicePort and startedBeforeCapture', () => {
  assert.equal(isServicePort(22), true);
  assert.equal(isServicePort(8443), true);
  assert.equal(isServicePort(1023), true);
  assert.equal(isServicePort(45796), false);
  assert.equal(startedBeforeCapture(flow({ tcp_flags: 'AP' })), true);
  assert.equal(startedBeforeCapture(flow({ tcp_flags: 'SAPF' })), false);
  assert.equal(startedBeforeCapture(flow({ proto: 'udp', tcp_flags: null })), false);
});

test('serverSentFirst is flowRoles().reversed; groupMac reads the I/G bit of any spelling', () => {
  for (const [sp, dp, app] of [
    [50000, 443, null],
    [53, 45796, 'dns'],
    [123, 123, null],
    [700, 2049, null],
    [5353, 40000, 'mdns'],
    [53, 8080, 'dns'],
    [null, null, null],
    [8080, 50000, 'http'],
  ] as const) {
    const f = flow({ src_port: sp, dst_port: dp, app });
    assert.equal(serverSentFirst(f), flowRoles(f).reversed, `${sp} -> ${dp} ${app}`);
  }
  assert.equal(groupMac('ff:ff:ff:ff:ff:ff'), true);
  assert.equal(groupMac('01:00:5e:00:00:fb'), true);
  assert.equal(groupMac('33:33:00:00:00:01'), true);
  assert.equal(groupMac('0A:00:27:00:00:00'), false);
  assert.equal(groupMac('0B-00-27-00-00-00'), true);
  assert.equal(groupMac('00:11:22:33:44:55'), false);
  // not two hex digits first: as parseInt reads them
  assert.equal(groupMac('1:0:5e:0:0:fb'), true);
  assert.equal(groupMac('x1:00:00:00:00:00'), false);
  assert.equal(groupMac(null), false);
});
