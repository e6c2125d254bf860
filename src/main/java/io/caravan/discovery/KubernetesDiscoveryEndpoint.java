package io.caravan.discovery;

import io.caravan.model.Durations;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.util.Arrays;
import java.util.List;

/**
 * {@code k8s-discovery:ROLE} (pod, node, service, endpoints, endpointslice, ingress): the target list of a Kubernetes
 * SD role, emitted whole on every change, with Prometheus' {@code __meta_kubernetes_*} labels. With {@code nodeName}
 * the API server sends only this node's pods or node, and the endpoint roles keep only the endpoints on this node.
 */
@UriEndpoint(scheme = "k8s-discovery", title = "Kubernetes discovery", syntax = "k8s-discovery:role",
        consumerOnly = true, category = {Category.CONTAINER, Category.MONITORING})
public class KubernetesDiscoveryEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    @UriPath(enums = "pod,node,service,endpoints,endpointslice,ingress",
            description = "The Kubernetes SD role: pod, node, service, endpoints, endpointslice or ingress")
    @Metadata(required = true)
    private final DiscoveryRole role;

    @UriParam(description = "Only targets on this node, usually {{env:NODE_NAME}} from the downward API: pods and"
            + " nodes are asked of the API server by field selector (spec.nodeName, metadata.name); endpoints and"
            + " endpointslice keep the endpoints whose nodeName (or Node target reference) is this node, so each agent"
            + " of a DaemonSet scrapes its own. Not for service and ingress. Empty: cluster-wide")
    private String nodeName = "";
    @UriParam(description = "Prometheus' attach_metadata node: the node's name, labels and annotations"
            + " (__meta_kubernetes_node_*) on pod, endpoints and endpointslice targets; watches nodes (only this one"
            + " with nodeName)")
    private boolean attachNodeMetadata;
    @UriParam(description = "endpoints and endpointslice: only the endpoints on no node (external addresses, the API"
            + " server's own), which no node-local agent takes; for a route the elected agent runs (master:)")
    private boolean nodelessOnly;
    @UriParam(description = "Namespaces to watch, separated by commas (not for the node role). Empty: all namespaces")
    private String namespaces = "";
    @UriParam(description = "Kubernetes label selector, e.g. app=web,tier!=cache")
    private String labelSelector = "";
    @UriParam(description = "Extra field selector terms (field=value or field!=value, separated by commas)")
    private String fieldSelector = "";
    @UriParam(defaultValue = "5m", description = "How often the informer replays its cache (Prometheus duration);"
            + " a replay that changes nothing emits nothing")
    private String resyncPeriod = "5m";
    @UriParam(defaultValue = "500ms", description = "Events within this time are coalesced into one emission")
    private String debounce = "500ms";
    @UriParam(defaultValue = "true", description = "With nodeName: keep the last emitted target list on disk"
            + " ($CARAVAN_DATA_DIR/discovery/) and emit it when a start gets no list from the API server, so the node's"
            + " pipelines keep scraping and tailing what they had; health says how old it is")
    private boolean lastKnownTargets = true;
    @UriParam(defaultValue = "5s", description = "How long a start waits for the API server's first list before it"
            + " emits the last known targets (at once when that list fails)")
    private String lastKnownAfter = "5s";

    public KubernetesDiscoveryEndpoint(String uri, KubernetesDiscoveryComponent component, DiscoveryRole role) {
        super(uri, component);
        this.role = role;
    }

    @Override
    public KubernetesDiscoveryComponent getComponent() {
        return (KubernetesDiscoveryComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("k8s-discovery:" + role.uriName() + " is a source: use it in 'from'");
    }

    /**
     * Several pipelines read the same discovery (kubelet, cAdvisor, apiserver and etcd all start from this
     * node), each route with its own consumer. Consumers of equal role and selection share one informer (one
     * list, one watch); each keeps its own debounce, status and emissions.
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KubernetesDiscoveryConsumer consumer = new KubernetesDiscoveryConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails at route start-up, naming the option, rather than when the first event arrives. */
    void validate() {
        if (!nodeName.isBlank() && !role.takesNodeName()) {
            throw new IllegalArgumentException("k8s-discovery:" + role.uriName() + ": nodeName does not apply to the "
                    + role.uriName() + " role (" + role.resource() + " do not run on a node); remove it, or use the"
                    + " endpoints or endpointslice role for node-local targets");
        }
        if (nodelessOnly && (!role.isEndpointRole() || !nodeName.isBlank())) {
            throw new IllegalArgumentException("k8s-discovery:" + role.uriName() + ": nodelessOnly applies to the endpoints"
                    + " and endpointslice roles, without nodeName");
        }
        if (attachNodeMetadata && !role.takesNodeMetadata()) {
            throw new IllegalArgumentException("k8s-discovery:" + role.uriName() + ": attachNodeMetadata applies to the"
                    + " pod, endpoints and endpointslice roles only; remove it");
        }
        Durations.parseMillis("resyncPeriod", resyncPeriod);
        Durations.parseMillis("debounce", debounce);
        Durations.parseMillis("lastKnownAfter", lastKnownAfter);
        DiscoveryRole.FieldRequirement.parse(fieldSelector);
    }

    DiscoveryRole.Selection selection() {
        return new DiscoveryRole.Selection(nodeName.trim(), namespaceList(), labelSelector.trim(),
                DiscoveryRole.FieldRequirement.parse(fieldSelector), Durations.parseMillis("resyncPeriod", resyncPeriod));
    }

    /** Node-local endpoints only: a cluster-wide list is not this node's to keep, and may be large. */
    boolean keepsLastKnownTargets() {
        return lastKnownTargets && !nodeName.isBlank();
    }

    long lastKnownAfterMillis() {
        return Durations.parseMillis("lastKnownAfter", lastKnownAfter);
    }

    RoleOptions roleOptions() {
        return new RoleOptions(nodeName.trim(), attachNodeMetadata, nodelessOnly);
    }

    long debounceMillis() {
        return Durations.parseMillis("debounce", debounce);
    }

    private List<String> namespaceList() {
        return Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    public DiscoveryRole getRole() {
        return role;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName == null ? "" : nodeName;
    }

    public boolean isAttachNodeMetadata() {
        return attachNodeMetadata;
    }

    public void setAttachNodeMetadata(boolean attachNodeMetadata) {
        this.attachNodeMetadata = attachNodeMetadata;
    }

    public boolean isNodelessOnly() {
        return nodelessOnly;
    }

    public void setNodelessOnly(boolean nodelessOnly) {
        this.nodelessOnly = nodelessOnly;
    }

    public String getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(String namespaces) {
        this.namespaces = namespaces == null ? "" : namespaces;
    }

    public String getLabelSelector() {
        return labelSelector;
    }

    public void setLabelSelector(String labelSelector) {
        this.labelSelector = labelSelector == null ? "" : labelSelector;
    }

    public String getFieldSelector() {
        return fieldSelector;
    }

    public void setFieldSelector(String fieldSelector) {
        this.fieldSelector = fieldSelector == null ? "" : fieldSelector;
    }

    public String getResyncPeriod() {
        return resyncPeriod;
    }

    public void setResyncPeriod(String resyncPeriod) {
        this.resyncPeriod = resyncPeriod;
    }

    public boolean isLastKnownTargets() {
        return lastKnownTargets;
    }

    public void setLastKnownTargets(boolean lastKnownTargets) {
        this.lastKnownTargets = lastKnownTargets;
    }

    public String getLastKnownAfter() {
        return lastKnownAfter;
    }

    public void setLastKnownAfter(String lastKnownAfter) {
        this.lastKnownAfter = lastKnownAfter;
    }

    public String getDebounce() {
        return debounce;
    }

    public void setDebounce(String debounce) {
        this.debounce = debounce;
    }
}
