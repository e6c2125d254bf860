package io.caravan.operator;

import io.caravan.component.RouteHandOff;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.caravan.component.ComponentStatus;
import io.caravan.component.StateFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Watches the monitors (informers on the CRDs, read as generic resources) and keeps one pair of routes per monitor
 * endpoint: {@code <discovery> -> relabel:<id> -> scrape:<id>} and {@code scrape:<id> -> direct:<sink>}, their rule files
 * under {@code $CARAVAN_DATA_DIR/monitors/}. A job whose monitor changed is replaced (its routes stopped and made
 * again); one whose monitor went is removed, its scrape loops ending with staleness markers as any job's do.
 */
public class MonitorsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorsConsumer.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String GROUP = "monitoring.coreos.com";

    private final MonitorsEndpoint endpoint;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final Map<String, MonitorJob> running = new LinkedHashMap<>(); // on the executor only
    private volatile List<MonitorJob> jobs = List.of();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private final AtomicBoolean reconcileScheduled = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public MonitorsConsumer(MonitorsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "k8s-monitors-" + endpoint.getName());
        KubernetesClient client = endpoint.getComponent().kubernetesClient();
        ResourceEventHandler<GenericKubernetesResource> changed = new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                scheduleReconcile();
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                scheduleReconcile();
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean unknown) {
                scheduleReconcile();
            }
        };
        for (MonitorJobs.Kind kind : endpoint.kindList()) {
            for (FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op : ops(client, kind)) {
                SharedIndexInformer<GenericKubernetesResource> informer = op.runnableInformer(0);
                informer.addEventHandler(changed);
                informer.exceptionHandler((started, error) -> {
                    lastError = "cannot list or watch " + plural(kind) + " (" + error.getMessage() + "); is the"
                            + " prometheus-operator CRD installed, and may this agent list and watch it?";
                    lastErrorAt = Instant.now();
                    return isRunAllowed();
                });
                informer.start().whenComplete((v, e) -> scheduleReconcile());
                informers.add(informer);
            }
        }
        if (endpoint.isReadSecrets()) {
            // rotated tokens and CAs: read again every minute (the scrape reads a changed file again)
            executor.scheduleWithFixedDelay(this::scheduleReconcile, 60, 60, TimeUnit.SECONDS);
        }
        endpoint.getComponent().register(this);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        CamelContext camel = getEndpoint().getCamelContext();
        if (!camel.isStopping() && !camel.isStopped()) {
            // this route alone stops: its jobs go with it (when the whole context stops, it stops them itself; a route
            // stopped from inside its shutdown would wait on that shutdown)
            for (String id : new ArrayList<>(running.keySet())) {
                removeRoutes(id);
            }
        }
        running.clear();
        jobs = List.of();
        super.doStop();
    }

    private List<FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>> ops(
            KubernetesClient client, MonitorJobs.Kind kind) {
        ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1")
                .withKind(switch (kind) {
                    case SERVICE_MONITOR -> "ServiceMonitor";
                    case POD_MONITOR -> "PodMonitor";
                    case PROBE -> "Probe";
                }).withPlural(plural(kind)).withNamespaced(true).build();
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
                client.genericKubernetesResources(ctx);
        List<FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>> out = new ArrayList<>();
        List<String> namespaces = endpoint.namespaceList();
        if (namespaces.isEmpty()) {
            out.add(selected(op.inAnyNamespace()));
        } else {
            namespaces.forEach(ns -> out.add(selected(op.inNamespace(ns))));
        }
        return out;
    }

    private FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> selected(
            FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op) {
        return endpoint.getLabelSelector().isBlank() ? op : op.withLabelSelector(endpoint.getLabelSelector());
    }

    private static String plural(MonitorJobs.Kind kind) {
        return switch (kind) {
            case SERVICE_MONITOR -> "servicemonitors";
            case POD_MONITOR -> "podmonitors";
            case PROBE -> "probes";
        };
    }

    private void scheduleReconcile() {
        ScheduledExecutorService ex = executor;
        if (ex != null && reconcileScheduled.compareAndSet(false, true)) {
            try {
                ex.schedule(this::reconcile, endpoint.debounceMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException stopping) {
                reconcileScheduled.set(false);
            }
        }
    }

    /** The jobs the monitors ask for now, made to match the routes: new ones added, changed ones replaced, gone ones removed. */
    private void reconcile() {
        reconcileScheduled.set(false);
        if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            return; // a partial list would remove the jobs of monitors not listed yet
        }
        Map<String, MonitorJob> desired = new LinkedHashMap<>();
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            for (GenericKubernetesResource r : informer.getStore().list()) {
                for (MonitorJob job : jobsOf(r)) {
                    desired.put(job.id(), job);
                }
            }
        }
        desired.replaceAll((id, job) -> withCredentials(job));
        for (String id : new ArrayList<>(running.keySet())) {
            MonitorJob now = desired.get(id);
            if (now == null || !now.equals(running.get(id)) || !now.runs()) {
                removeRoutes(id);
                running.remove(id);
            }
        }
        for (MonitorJob job : desired.values()) {
            if (job.runs() && !running.containsKey(job.id())) {
                try {
                    addRoutes(job);
                    running.put(job.id(), job);
                } catch (Exception e) {
                    LOG.error("{}: cannot start the job {} of {}: {}", endpoint.getEndpointUri(), job.jobName(), job.id(), e.toString());
                    desired.put(job.id(), new MonitorJob(job.id(), job.jobName(), job.discoveryUri(), job.relabelRules(),
                            job.metricRelabelRules(), job.scrapeOptions(), "its routes could not start: " + e.getMessage()));
                }
            }
        }
        jobs = List.copyOf(desired.values());
        emit();
    }

    /**
     * A job whose monitor names credentials: each read (Secret data, or ConfigMap data) and written to a file of its own,
     * the file's path in the scrape option; the job's problem says what could not be read, or that reading is off.
     * Never logs a value.
     */
    private MonitorJob withCredentials(MonitorJob job) {
        if (job.credentials() == null || job.credentials().isEmpty() || !job.runs()) {
            return job;
        }
        String what = job.credentials().stream().map(MonitorJob.Credential::describe).collect(Collectors.joining(", "));
        if (!endpoint.isReadSecrets()) {
            return job.withProblem("needs " + what + ", and reading Secrets and ConfigMaps is off (readSecrets; the"
                    + " chart's monitors.readSecrets); the endpoint is not scraped");
        }
        Map<String, String> options = new LinkedHashMap<>(job.scrapeOptions());
        KubernetesClient client = endpoint.getComponent().kubernetesClient();
        for (MonitorJob.Credential c : job.credentials()) {
            String value;
            try {
                value = c.secret() ? secretValue(client, c) : configMapValue(client, c);
            } catch (RuntimeException e) {
                return job.withProblem("cannot read " + c.describe() + " (" + e.getMessage() + "); the endpoint is not scraped");
            }
            if (value == null) {
                return job.withProblem(c.describe() + " is missing; the endpoint is not scraped");
            }
            try {
                Path file = monitorsDir().resolve("credentials").resolve(job.id() + "-" + c.option());
                writeOwnerOnly(file, value);
                options.put(c.option(), file.toString());
            } catch (IOException e) {
                return job.withProblem("cannot write " + c.describe() + " to the data directory (" + e + ")");
            }
        }
        return new MonitorJob(job.id(), job.jobName(), job.discoveryUri(), job.relabelRules(), job.metricRelabelRules(), options,
                null, job.staticTargets(), job.credentials());
    }

    private static String secretValue(KubernetesClient client, MonitorJob.Credential c) {
        io.fabric8.kubernetes.api.model.Secret s = client.secrets().inNamespace(c.namespace()).withName(c.name()).get();
        if (s == null) {
            return null;
        }
        if (s.getData() != null && s.getData().get(c.key()) != null) {
            return new String(java.util.Base64.getDecoder().decode(s.getData().get(c.key())), java.nio.charset.StandardCharsets.UTF_8);
        }
        return s.getStringData() == null ? null : s.getStringData().get(c.key());
    }

    private static String configMapValue(KubernetesClient client, MonitorJob.Credential c) {
        io.fabric8.kubernetes.api.model.ConfigMap m = client.configMaps().inNamespace(c.namespace()).withName(c.name()).get();
        return m == null || m.getData() == null ? null : m.getData().get(c.key());
    }

    /** Written only when it changed (the scrape reads a changed token file again), readable by the agent alone. */
    private static void writeOwnerOnly(Path file, String value) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file).equals(value)) {
            return;
        }
        StateFiles.replace(file, value.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }

    private List<MonitorJob> jobsOf(GenericKubernetesResource r) {
        MonitorJobs.Kind kind = "PodMonitor".equals(r.getKind()) ? MonitorJobs.Kind.POD_MONITOR
                : "Probe".equals(r.getKind()) ? MonitorJobs.Kind.PROBE : MonitorJobs.Kind.SERVICE_MONITOR;
        String namespace = r.getMetadata().getNamespace();
        String name = r.getMetadata().getName();
        try {
            if (kind == MonitorJobs.Kind.PROBE) {
                ProbeSpec probe = JSON.convertValue(r.getAdditionalProperties().getOrDefault("spec", Map.of()), ProbeSpec.class);
                return List.of(MonitorJobs.probe(namespace, name, probe, endpoint.defaults(), monitorsDir()));
            }
            MonitorSpec spec = JSON.convertValue(r.getAdditionalProperties().getOrDefault("spec", Map.of()), MonitorSpec.class);
            return MonitorJobs.of(kind, namespace, name, spec, endpoint.defaults());
        } catch (IllegalArgumentException e) {
            String id = MonitorJobs.id(kind, namespace, name, "");
            return List.of(new MonitorJob(id, kind.jobPrefix + "/" + namespace + "/" + name, "", List.of(), List.of(), Map.of(),
                    "the monitor cannot be read: " + e.getMessage()));
        }
    }

    private void addRoutes(MonitorJob job) throws Exception {
        Path dir = monitorsDir();
        Files.createDirectories(dir);
        if (job.staticTargets() != null) {
            Files.writeString(MonitorJobs.targetsFile(dir, job.id()), JSON.writeValueAsString(List.of(job.staticTargets())));
        }
        Path rules = dir.resolve(job.id() + ".yaml");
        Files.writeString(rules, YAML.writeValueAsString(job.relabelRules()));
        Map<String, String> options = new LinkedHashMap<>(job.scrapeOptions());
        if (!job.metricRelabelRules().isEmpty()) {
            Path metricRules = dir.resolve(job.id() + "-metrics.yaml");
            Files.writeString(metricRules, YAML.writeValueAsString(job.metricRelabelRules()));
            options.put("metricRelabel", "file:" + metricRules);
        }
        String query = options.entrySet().stream().map(e -> e.getKey() + "=RAW(" + e.getValue() + ")")
                .collect(Collectors.joining("&"));
        String sink = endpoint.getSink();
        getEndpoint().getCamelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(job.discoveryUri()).routeId(job.id())
                        .to("relabel:" + job.id() + "?rules=file:" + rules)
                        .to("scrape:" + job.id() + "?" + query);
                from("scrape:" + job.id()).routeId(job.id() + "-samples").to("direct:" + sink);
            }
        });
        LOG.info("{}: job {} started ({} -> relabel:{} -> scrape:{} -> direct:{})", endpoint.getEndpointUri(), job.jobName(),
                job.discoveryUri(), job.id(), job.id(), sink);
    }

    /** Where the jobs' rule, target and credential files live. */
    private Path monitorsDir() {
        return endpoint.getComponent().dataDir().resolve("monitors");
    }

    private void removeRoutes(String id) {
        CamelContext camel = getEndpoint().getCamelContext();
        for (String routeId : List.of(id, id + "-samples")) {
            try {
                if (camel.getRoute(routeId) != null) {
                    camel.getRouteController().stopRoute(routeId);
                    camel.removeRoute(routeId);
                }
            } catch (Exception e) {
                LOG.warn("{}: cannot remove the route {}: {}", endpoint.getEndpointUri(), routeId, e.toString());
            }
        }
        try {
            Path dir = monitorsDir();
            Files.deleteIfExists(dir.resolve(id + ".yaml"));
            Files.deleteIfExists(dir.resolve(id + "-metrics.yaml"));
            Files.deleteIfExists(MonitorJobs.targetsFile(dir, id));
            for (String option : List.of("bearerTokenFile", "caFile")) {
                Files.deleteIfExists(dir.resolve("credentials").resolve(id + "-" + option));
            }
        } catch (IOException e) {
            LOG.debug("{}: rule files of {} left behind: {}", endpoint.getEndpointUri(), id, e.toString());
        }
    }

    private void emit() {
        List<Map<String, Object>> summary = new ArrayList<>();
        for (MonitorJob j : jobs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.id());
            m.put("job", j.jobName());
            m.put("discovery", j.discoveryUri());
            m.put("state", j.runs() ? "running" : "not scraped: " + j.problem());
            summary.add(m);
        }
        RouteHandOff.emit(this, summary, Map.of(), endpoint.getEndpointUri());
    }

    ComponentStatus status() {
        List<ComponentStatus.Item> items = new ArrayList<>();
        boolean allRun = true;
        for (MonitorJob j : jobs) {
            items.add(new ComponentStatus.Item(j.jobName(), Map.of("job", j.jobName()), j.runs() ? "running" : "not scraped",
                    j.problem(), Map.of("routes", j.id() + ", " + j.id() + "-samples", "discovery", j.discoveryUri())));
            allRun &= j.runs();
        }
        boolean synced = !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
        ComponentStatus.Health health = lastError != null || !synced ? ComponentStatus.Health.UNKNOWN
                : allRun ? ComponentStatus.Health.UP : ComponentStatus.Health.DEGRADED;
        return new ComponentStatus(MonitorsComponent.SCHEME, endpoint.getName(), endpoint.getEndpointUri(), health,
                synced ? jobs.size() + " jobs" : "listing", items, null, lastError, lastErrorAt, Map.of("jobs", jobs.size()));
    }
}
