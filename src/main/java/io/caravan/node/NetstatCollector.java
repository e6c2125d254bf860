package io.caravan.node;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * node_exporter's netstat collector: /proc/net/netstat and /proc/net/snmp (header/value line pairs) and
 * /proc/net/snmp6 (name value lines; absent when IPv6 is off), fields matching --collector.netstat.fields,
 * as untyped node_netstat_&lt;Protocol&gt;_&lt;Field&gt;. As in node_exporter every value must parse, filtered or not.
 */
final class NetstatCollector implements Collector {

    static final String DEFAULT_FIELDS = "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)"
        + "|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)"
        + "|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
        + "|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

    private static final MetricFamily REJECTED = new MetricFamily("rejected", "", MetricType.UNTYPED);

    private final String netstatPath;
    private final String snmpPath;
    private final String snmp6Path;
    private final FileBuf file = new FileBuf(16384);
    private final FieldFilter filter = FieldFilter.include(DEFAULT_FIELDS);
    /** One cache per file: slot = position of the name within the file. */
    private final NameCache[] protoNames = {new NameCache(), new NameCache(), new NameCache()};
    private final NameCache[] fieldNames = {new NameCache(), new NameCache(), new NameCache()};
    /** (protocol, field) -> family or REJECTED; keyed by protocol then field, both cached strings. */
    private final Map<String, Map<String, MetricFamily>> families = new HashMap<>();
    private int[] headerStart = new int[256];
    private int[] headerEnd = new int[256];

    NetstatCollector(NodeExporterConfig config) {
        this.netstatPath = config.procPath("net/netstat");
        this.snmpPath = config.procPath("net/snmp");
        this.snmp6Path = config.procPath("net/snmp6");
    }

    @Override
    public String name() {
        return "netstat";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        file.read(netstatPath);
        pairs(out, 0, netstatPath);
        file.read(snmpPath);
        pairs(out, 1, snmpPath);
        if (file.tryRead(snmp6Path)) {
            snmp6(out);
        } else if (new java.io.File(snmp6Path).exists()) {
            throw new IOException("couldn't read " + snmp6Path);
        }
    }

    private MetricFamily family(MetricFamilies out, String proto, String field) {
        Map<String, MetricFamily> m = families.get(proto);
        if (m == null) {
            m = new HashMap<>();
            families.put(proto, m);
        }
        MetricFamily f = m.get(field);
        if (f == null) {
            String key = proto + "_" + field;
            f = filter.accepted(key)
                ? out.family("node_netstat_" + key, "Statistic " + proto + field + ".", MetricType.UNTYPED)
                : REJECTED;
            m.put(field, f);
        }
        return f;
    }

    /** "Proto: a b c" followed by "Proto: 1 2 3". */
    private void pairs(MetricFamilies out, int fileNo, String path) throws IOException {
        NameCache pn = protoNames[fileNo];
        NameCache fn = fieldNames[fileNo];
        int slot = 0;
        int pairNo = 0;
        int pos = 0;
        while (pos < file.len) {
            int hEnd = file.lineEnd(pos);
            if (hEnd == pos) {
                pos = hEnd + 1;
                continue;
            }
            int vPos = hEnd + 1;
            if (vPos >= file.len) {
                throw new IOException("odd number of lines in " + path);
            }
            int vEnd = file.lineEnd(vPos);
            int pe = file.tokenEnd(pos, hEnd);
            if (pe == pos || file.buf[pe - 1] != ':') {
                throw new IOException("malformed header in " + path + ": " + file.utf8(pos, hEnd));
            }
            String proto = pn.get(pairNo++, file.buf, pos, pe - 1);
            // header names
            int n = 0;
            int p = file.skipSpaces(pe, hEnd);
            while (p < hEnd) {
                int e = file.tokenEnd(p, hEnd);
                if (n == headerStart.length) {
                    headerStart = java.util.Arrays.copyOf(headerStart, n * 2);
                    headerEnd = java.util.Arrays.copyOf(headerEnd, n * 2);
                }
                headerStart[n] = p;
                headerEnd[n] = e;
                n++;
                p = file.skipSpaces(e, hEnd);
            }
            int ve = file.tokenEnd(vPos, vEnd);
            int q = file.skipSpaces(ve, vEnd);
            int k = 0;
            while (q < vEnd) {
                int e = file.tokenEnd(q, vEnd);
                if (k >= n) {
                    throw new IOException("mismatch field count in " + path + " for " + proto);
                }
                double v = file.parseDouble(q, e);
                if (Double.isNaN(v)) {
                    throw new IOException("invalid value " + file.utf8(q, e) + " in netstats");
                }
                String field = fn.get(slot++, file.buf, headerStart[k], headerEnd[k]);
                MetricFamily f = family(out, proto, field);
                if (f != REJECTED && f.size() == 0) {
                    f.add(v);
                }
                k++;
                q = file.skipSpaces(e, vEnd);
            }
            if (k != n) {
                throw new IOException("mismatch field count in " + path + " for " + proto);
            }
            pos = vEnd + 1;
        }
    }

    /** "Ip6InReceives 123": the protocol is the name up to and including its first '6'. */
    private void snmp6(MetricFamilies out) throws IOException {
        NameCache pn = protoNames[2];
        NameCache fn = fieldNames[2];
        int slot = 0;
        int pos = 0;
        while (pos < file.len) {
            int end = file.lineEnd(pos);
            int s = file.skipSpaces(pos, end);
            int ke = file.tokenEnd(s, end);
            int vs = file.skipSpaces(ke, end);
            int ve = file.tokenEnd(vs, end);
            if (ke > s && ve > vs) {
                int six = -1;
                for (int i = s; i < ke; i++) {
                    if (file.buf[i] == '6') {
                        six = i;
                        break;
                    }
                }
                if (six >= 0) {
                    String proto = pn.get(slot, file.buf, s, six + 1);
                    String field = fn.get(slot, file.buf, six + 1, ke);
                    slot++;
                    double v = file.parseDouble(vs, ve);
                    if (Double.isNaN(v)) {
                        throw new IOException("invalid value " + file.utf8(vs, ve) + " in netstats");
                    }
                    MetricFamily f = family(out, proto, field);
                    if (f != REJECTED && f.size() == 0) {
                        f.add(v);
                    }
                }
            }
            pos = end + 1;
        }
    }
}
