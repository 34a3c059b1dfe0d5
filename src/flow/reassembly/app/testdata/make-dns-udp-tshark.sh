#!/usr/bin/env bash
# Regenerates dns-udp-tshark.tsv: for every corpus capture, the UDP conversations tshark 4.x decodes as
# DNS, mDNS or LLMNR (ICMP-quoted copies left out), one row per file, protocol and endpoint pair (sorted).
# Usage: make-dns-udp-tshark.sh CORPUS_DIR > dns-udp-tshark.tsv
set -euo pipefail
dir=${1:?corpus dir}
for f in "$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.cap; do
  [[ -f "$f" ]] || continue
  name=$(basename "$f")
  (tshark -n -r "$f" -Y '(dns or mdns or llmnr) and udp and not icmp and not icmpv6' -T fields -E separator=/t \
    -e frame.protocols -e ip.src -e ipv6.src -e udp.srcport -e ip.dst -e ipv6.dst -e udp.dstport 2>/dev/null || true) |
    awk -F'\t' -v name="$name" '
      function last(v,  a, n) { n = split(v, a, ","); return a[n] }
      {
        proto = ($1 ~ /:mdns/) ? "mdns" : ($1 ~ /:llmnr/) ? "llmnr" : "dns"
        s = ($2 != "" ? last($2) : last($3)) " " last($4)
        d = ($5 != "" ? last($5) : last($6)) " " last($7)
        if (s > d) { t = s; s = d; d = t }
        print name "\t" proto "\t" s "\t" d
      }' | sort -u || true
done
