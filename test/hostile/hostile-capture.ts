/**
 * One capture whose every attacker-chosen string is hostile: HTML/script, terminal escapes (CSI 2J, OSC 52
 * clipboard write, BEL), CSV formula prefixes, path traversal and Windows device names, NUL, very long values.
 * Carried in DNS names, HTTP Host/URI/User-Agent/file names, TLS SNI, FTP/HTTP credentials and file names.
 */
import {
  PcapWriter,
  concat,
  dns,
  dnsName,
  httpRequest,
  httpResponse,
  latin1,
  tcpConversation,
  tlsClientHello,
  udpFrame,
  utf8,
} from './capture-builder.js';

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '"><img src=x onerror=alert(2)>';
export const ESC_CLEAR = '\x1b[2J';
export const OSC52 = '\x1b]52;c;Y2FsYy5leGU=\x07';
export const BEL = '\x07';
export const FORMULAS = ["=cmd|' /C calc'!A0", '+1+cmd|x', '-2+cmd|x', '@SUM(1+1)'];
export const TRAVERSAL = ['../../etc/passwd', '/etc/shadow', 'C:\\Windows\\win.ini', 'CON', 'a\x00b.exe'];
export const LONG = 'A'.repeat(20000);
/** File names a server may announce: traversal, absolute, device names, NUL, bidi override, dots, long */
export const FILE_NAMES = [
  '../../../../tmp/pcaplens-escape',
  '/etc/cron.d/evil',
  '..\\..\\windows\\system32\\evil.dll',
  'CON',
  'nul.txt',
  'a\x00b.exe',
  'invoice\xe2\x80\xaetxt.exe',
  '..',
  '.hidden',
  `${ESC_CLEAR}${BEL}.txt`,
  'x'.repeat(300) + '.bin',
];

/** Every hostile payload, for the "nothing got through" checks. */
export const HOSTILE = [SCRIPT, IMG, ESC_CLEAR, OSC52, ...FORMULAS, ...TRAVERSAL];

/** Strings that must never appear raw in a terminal output. */
export const RAW_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

export function hostileCapture(): Uint8Array {
  const w = new PcapWriter();
  const client = '10.0.0.5';
  let ts = 1_700_000_000;
  const add = (f: Uint8Array): void => {
    w.add(f, { ts: (ts += 0.01) });
  };
  // DNS: hostile labels (bytes as they are: DNS labels may hold any octet)
  const names = [
    `${SCRIPT}.evil.example`,
    `x${IMG}.evil.example`,
    `${ESC_CLEAR}${OSC52}${BEL}.term.example`,
    ...FORMULAS.map((f) => `${f}.csv.example`),
    '..\\..\\etc\\passwd.example',
    'a\x00b.nul.example',
  ];
  names.forEach((n, i) => {
    const q = dnsName(n);
    add(udpFrame(client, '10.0.0.53', 40000 + i, 53, dns({ id: i + 1, qname: q })));
    const rdata = new Uint8Array([192, 0, 2, i + 1]);
    add(
      udpFrame(
        '10.0.0.53',
        client,
        53,
        40000 + i,
        dns({
          id: i + 1,
          response: true,
          qname: q,
          answers: [{ name: new Uint8Array([0xc0, 12]), type: 1, rdata }],
        }),
      ),
    );
  });
  // HTTP: hostile Host, URI, User-Agent, a basic-auth credential and a file name from the response
  const basic = Buffer.from(`${SCRIPT}:${FORMULAS[0]}${ESC_CLEAR}`, 'latin1').toString('base64');
  const req = httpRequest('GET', `/${TRAVERSAL[0]}?q=${SCRIPT}${ESC_CLEAR}`, [
    ['Host', `${IMG}${OSC52}`],
    ['User-Agent', `${FORMULAS[0]}${BEL}${LONG}`],
    ['Authorization', `Basic ${basic}`],
    ['Referer', `javascript:alert(3)`],
  ]);
  const body = utf8('hello');
  const res = httpResponse(
    200,
    [
      ['Content-Type', `text/html${ESC_CLEAR}`],
      ['Content-Disposition', `attachment; filename="${TRAVERSAL[0]}${SCRIPT}"`],
      ['Content-Length', String(body.length)],
    ],
    body,
  );
  const req2 = httpRequest('POST', `/upload/CON`, [
    ['Host', FORMULAS[1]!],
    ['User-Agent', `${IMG}\x9b2J`],
    ['Content-Length', '0'],
  ]);
  const res2 = httpResponse(
    200,
    [
      ['Content-Length', '2'],
      ['Content-Disposition', 'attachment; filename="C:\\Windows\\win.ini"'],
    ],
    utf8('ok'),
  );
  for (const f of tcpConversation(client, '10.0.0.80', 50001, 80, [
    { fromClient: true, data: req },
    { fromClient: false, data: res },
    { fromClient: true, data: req2 },
    { fromClient: false, data: res2 },
    ...FILE_NAMES.flatMap((name, i) => [
      { fromClient: true, data: httpRequest('GET', `/f${i}`, [['Host', 'files.example']]) },
      {
        fromClient: false,
        data: httpResponse(
          200,
          [
            ['Content-Length', '4'],
            ['Content-Disposition', `attachment; filename="${name}"`],
          ],
          utf8(`f${i}`.padEnd(4, '_')),
        ),
      },
    ]),
  ]))
    add(f);
  // TLS: hostile SNI and ALPN
  for (const [i, sni] of [
    `${SCRIPT}.tls.example`,
    `${ESC_CLEAR}${OSC52}`,
    FORMULAS[2]!,
    LONG.slice(0, 300),
  ].entries()) {
    for (const f of tcpConversation(client, '10.0.0.43', 50100 + i, 443, [
      { fromClient: true, data: tlsClientHello(latin1(sni), [IMG]) },
    ]))
      add(f);
  }
  // FTP: hostile user/password and a RETR of a traversal name
  const ftp = (s: string): Uint8Array => latin1(s);
  for (const f of tcpConversation(client, '10.0.0.21', 50200, 21, [
    { fromClient: false, data: ftp('220 ftp ready\r\n') },
    { fromClient: true, data: ftp(`USER ${SCRIPT}${ESC_CLEAR}\r\n`) },
    { fromClient: false, data: ftp('331 password please\r\n') },
    { fromClient: true, data: ftp(`PASS ${FORMULAS[0]}${OSC52}\r\n`) },
    { fromClient: false, data: ftp('230 welcome\r\n') },
    { fromClient: true, data: ftp(`RETR ${TRAVERSAL[0]}\r\n`) },
    { fromClient: false, data: ftp('550 no\r\n') },
  ]))
    add(f);
  return concat(w.bytes());
}
