package io.caravan.node;

import java.io.IOException;

/**
 * node_exporter's uname collector. Java has no uname(2), so the fields come from the files the kernel
 * derives them from: /proc/sys/kernel/{ostype,hostname,osrelease,version,domainname,arch} (arch only on
 * kernels that have it; otherwise the JVM's os.arch mapped to uname's machine names). Those files show the
 * reading process's UTS namespace, as uname(2) does for node_exporter.
 */
final class UnameCollector implements Collector {

    private final String kernelDir;
    private final FileBuf file = new FileBuf(512);

    UnameCollector(NodeExporterConfig config) {
        this.kernelDir = config.procPath("sys/kernel/");
    }

    @Override
    public String name() {
        return "uname";
    }

    @Override
    public void collect(MetricFamilies out) throws IOException {
        String sysname = read("ostype");
        String nodename = read("hostname");
        String release = read("osrelease");
        String version = read("version");
        String domainname = read("domainname");
        String machine = file.tryRead(kernelDir + "arch") ? file.trimmed() : machineFromJvm();
        out.family("node_uname_info", "Labeled system information as provided by the uname system call.", MetricType.GAUGE,
                "sysname", "release", "version", "machine", "nodename", "domainname")
            .add(1, sysname, release, version, machine, nodename, domainname);
    }

    private String read(String name) throws IOException {
        // uname(2) strings end at the first NUL/newline; the files end with one newline
        file.read(kernelDir + name);
        int end = file.len;
        if (end > 0 && file.buf[end - 1] == '\n') {
            end--;
        }
        return file.utf8(0, end);
    }

    static String machineFromJvm() {
        String arch = System.getProperty("os.arch", "");
        switch (arch) {
            case "amd64":
            case "x86_64":
                return "x86_64";
            case "aarch64":
            case "arm64":
                return "aarch64";
            case "x86":
            case "i386":
                return "i686";
            default:
                return arch;
        }
    }
}
