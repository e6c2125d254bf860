package io.caravan.discovery;

import io.caravan.model.Labels;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.caravan.discovery.Related.sorted;
import static io.caravan.discovery.Related.sortedLabels;
import static io.caravan.discovery.Related.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * role: ingress, table-driven like Prometheus' discovery/kubernetes/ingress_test.go: each case is an ingress and the
 * full label set of every target Prometheus makes of it.
 */
class IngressTargetsTest {

    record Case(String name, Ingress ingress, List<Labels> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Three rules: example.com with paths "/" and "/foo"; nobackend.example.com with an http section and no paths
     * (no target); test.example.com with one path that has no path string ("/"). Class "testclass", one label and
     * one annotation whose names need sanitizing. TLS hosts as given.
     */
    static Ingress threeRuleIngress(String namespace, List<List<String>> tlsEntries) {
        IngressBuilder b = new IngressBuilder()
                .withNewMetadata().withName("testingress").withNamespace(namespace)
                .addToLabels("test/label", "testvalue")
                .addToAnnotations("test/annotation", "testannotationvalue")
                .endMetadata()
                .withNewSpec()
                .withIngressClassName("testclass")
                .addNewRule().withHost("example.com")
                .withNewHttp().addNewPath().withPath("/").endPath().addNewPath().withPath("/foo").endPath().endHttp()
                .endRule()
                .addNewRule().withHost("nobackend.example.com").withNewHttp().endHttp().endRule()
                .addNewRule().withHost("test.example.com")
                .withNewHttp().addToPaths(new HTTPIngressPath()).endHttp()
                .endRule()
                .endSpec();
        for (List<String> hosts : tlsEntries) {
            b.editSpec().addToTls(new IngressTLSBuilder().withHosts(hosts).build()).endSpec();
        }
        return b.build();
    }

    static Labels group(String namespace) {
        return Labels.of(
                "__meta_kubernetes_namespace", namespace,
                "__meta_kubernetes_ingress_name", "testingress",
                "__meta_kubernetes_ingress_class_name", "testclass",
                "__meta_kubernetes_ingress_label_test_label", "testvalue",
                "__meta_kubernetes_ingress_labelpresent_test_label", "true",
                "__meta_kubernetes_ingress_annotation_test_annotation", "testannotationvalue",
                "__meta_kubernetes_ingress_annotationpresent_test_annotation", "true");
    }

    /** The three targets of {@link #threeRuleIngress}: example.com's two paths with scheme1, test.example.com's with scheme2. */
    static List<Labels> threeRuleTargets(String namespace, String scheme1, String scheme2) {
        Labels g = group(namespace);
        return List.of(
                target(g, "__address__", "example.com", "__meta_kubernetes_ingress_host", "example.com",
                        "__meta_kubernetes_ingress_path", "/", "__meta_kubernetes_ingress_scheme", scheme1),
                target(g, "__address__", "example.com", "__meta_kubernetes_ingress_host", "example.com",
                        "__meta_kubernetes_ingress_path", "/foo", "__meta_kubernetes_ingress_scheme", scheme1),
                target(g, "__address__", "test.example.com", "__meta_kubernetes_ingress_host", "test.example.com",
                        "__meta_kubernetes_ingress_path", "/", "__meta_kubernetes_ingress_scheme", scheme2));
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no TLS: all http", threeRuleIngress("default", List.of()),
                        threeRuleTargets("default", "http", "http")),
                new Case("TLS for both hosts: all https",
                        threeRuleIngress("default", List.of(List.of("example.com", "test.example.com"))),
                        threeRuleTargets("default", "https", "https")),
                new Case("TLS hosts spread over two entries: all https",
                        threeRuleIngress("default", List.of(List.of("example.com"), List.of("test.example.com"))),
                        threeRuleTargets("default", "https", "https")),
                new Case("mixed TLS: only example.com https",
                        threeRuleIngress("default", List.of(List.of("example.com"))),
                        threeRuleTargets("default", "https", "http")),
                new Case("wildcard TLS *.example.com: test.example.com https, example.com itself http",
                        threeRuleIngress("default", List.of(List.of("*.example.com"))),
                        threeRuleTargets("default", "http", "https")),
                new Case("namespace label from the ingress' namespace", threeRuleIngress("ns2", List.of()),
                        threeRuleTargets("ns2", "http", "http")),

                new Case("rule without http section: one target with path \"/\"; wildcard covers one level only",
                        new IngressBuilder()
                                .withNewMetadata().withName("bare").withNamespace("web").endMetadata()
                                .withNewSpec()
                                .addNewRule().withHost("a.example.com").endRule()
                                .addNewRule().withHost("a.b.example.com").endRule()
                                .addToTls(new IngressTLSBuilder().withHosts("*.example.com").build())
                                .endSpec()
                                .build(),
                        List.of(
                                Labels.of("__address__", "a.example.com",
                                        "__meta_kubernetes_namespace", "web",
                                        "__meta_kubernetes_ingress_name", "bare",
                                        "__meta_kubernetes_ingress_host", "a.example.com",
                                        "__meta_kubernetes_ingress_path", "/",
                                        "__meta_kubernetes_ingress_scheme", "https"),
                                Labels.of("__address__", "a.b.example.com",
                                        "__meta_kubernetes_namespace", "web",
                                        "__meta_kubernetes_ingress_name", "bare",
                                        "__meta_kubernetes_ingress_host", "a.b.example.com",
                                        "__meta_kubernetes_ingress_path", "/",
                                        "__meta_kubernetes_ingress_scheme", "http"))),

                new Case("rule without host: no address and no host label; an empty path is \"/\"",
                        new IngressBuilder()
                                .withNewMetadata().withName("catchall").withNamespace("web").endMetadata()
                                .withNewSpec()
                                .addNewRule().withNewHttp()
                                .addNewPath().withPath("").endPath()
                                .addNewPath().withPath("/api").endPath()
                                .endHttp().endRule()
                                .endSpec()
                                .build(),
                        List.of(
                                Labels.of("__meta_kubernetes_namespace", "web",
                                        "__meta_kubernetes_ingress_name", "catchall",
                                        "__meta_kubernetes_ingress_path", "/",
                                        "__meta_kubernetes_ingress_scheme", "http"),
                                Labels.of("__meta_kubernetes_namespace", "web",
                                        "__meta_kubernetes_ingress_name", "catchall",
                                        "__meta_kubernetes_ingress_path", "/api",
                                        "__meta_kubernetes_ingress_scheme", "http"))),

                new Case("ingress without rules: no targets",
                        new IngressBuilder()
                                .withNewMetadata().withName("backend-only").withNamespace("web").endMetadata()
                                .withNewSpec().withIngressClassName("nginx").endSpec()
                                .build(),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void targetsAsPrometheusBuildsThem(Case c) {
        assertThat(sortedLabels(IngressTargets.of(c.ingress))).isEqualTo(sorted(c.expected));
    }

    /** ingress.go's matchesHostnamePattern: equal, or "*." plus the rest equal with as many dot-separated parts. */
    @ParameterizedTest(name = "pattern {0}, host {1}: {2}")
    @CsvSource({
            "example.com, example.com, true",
            "*.example.com, test.example.com, true",
            "*.example.com, example.com, false",
            "*.example.com, a.b.example.com, false",
            "*.example.com, test.example.org, false",
            "foo.example.com, bar.example.com, false",
            "test.*.com, test.example.com, false",
            "*, localhost, true",
            "*.*.com, a.b.com, false",
    })
    void hostnamePatterns(String pattern, String host, boolean matches) {
        assertThat(IngressTargets.matchesHostnamePattern(pattern, host)).isEqualTo(matches);
    }
}
