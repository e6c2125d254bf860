package io.caravan.node;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The built-in node exporter as an in-process scrape source: the node-metrics route's scrape job reads it
 * through {@code localExporter=nodeExporter}, with no HTTP hop. In the DaemonSet the host's trees are
 * mounted under /host, so the paths come from the environment, like node_exporter's --path.* flags. Its collector
 * threads come from Camel's ExecutorServiceManager and go back to it when the bean is destroyed.
 */
@Configuration(proxyBeanMethods = false)
public class NodeExporterConfiguration {

    @Bean(destroyMethod = "close")
    public NodeExporter builtInNodeExporter(@Value("${CARAVAN_NODE_PROCFS:/proc}") String procfs,
                                            @Value("${CARAVAN_NODE_SYSFS:/sys}") String sysfs,
                                            @Value("${CARAVAN_NODE_ROOTFS:/}") String rootfs,
                                            @Value("${CARAVAN_NODE_UDEV_DATA:/run/udev/data}") String udevData,
                                            @Value("${CARAVAN_NODE_COLLECTORS:}") String collectors,
                                            CamelContext camel) {
        NodeExporterConfig.Builder b = NodeExporterConfig.builder().procfs(procfs).sysfs(sysfs).rootfs(rootfs).udevData(udevData);
        if (!collectors.isBlank()) {
            List<String> names = Arrays.stream(collectors.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            b.collectors(names);
        }
        // Camel's threads: named, listed in its thread-pool JMX, and shut down (hung collectors interrupted) with the bean
        ExecutorServiceManager threads = camel.getExecutorServiceManager();
        return new NodeExporter(b.build(), threads.newCachedThreadPool(this, "node-exporter"), threads::shutdownNow);
    }

    /** What scrape jobs look up by name: one text-format body per call. */
    @Bean
    public Supplier<byte[]> nodeExporter(NodeExporter builtInNodeExporter) {
        return builtInNodeExporter::scrape;
    }
}
