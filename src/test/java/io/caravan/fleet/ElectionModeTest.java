package io.caravan.fleet;

import io.caravan.CaravanApplication;
import io.caravan.cluster.ElectionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which leader election a configuration gets: one in which several agents could lead at once does not start.
 * KUBERNETES_SERVICE_HOST stands for "in a pod" (Kubernetes sets it in every container).
 */
class ElectionModeTest {

    @TempDir
    Path data;

    static MockEnvironment env(String... pairs) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < pairs.length; i += 2) {
            env.setProperty(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void unsetItIsALockFileOutsideKubernetesAndALeaseInAPod() {
        assertThat(ElectionMode.choose(env())).isEqualTo(ElectionMode.FILE);
        assertThat(ElectionMode.choose(env("KUBERNETES_SERVICE_HOST", "10.43.0.1"))).isEqualTo(ElectionMode.KUBERNETES);
        assertThat(ElectionMode.choose(env("CARAVAN_LEADER_ELECTION", "", "KUBERNETES_SERVICE_HOST", "10.43.0.1")))
                .isEqualTo(ElectionMode.KUBERNETES);
    }

    @Test
    void chosenItIsWhatWasChosenExceptALockFileOfItsOwnInAPod() {
        assertThat(ElectionMode.choose(env("CARAVAN_LEADER_ELECTION", "kubernetes"))).isEqualTo(ElectionMode.KUBERNETES);
        assertThat(ElectionMode.choose(env("CARAVAN_LEADER_ELECTION", "file"))).isEqualTo(ElectionMode.FILE);
        assertThat(ElectionMode.choose(env("CARAVAN_LEADER_ELECTION", "file", "KUBERNETES_SERVICE_HOST", "10.43.0.1",
                "CARAVAN_LEADER_FILE_SHARED", "true"))).as("declared shared").isEqualTo(ElectionMode.FILE);
        assertThatThrownBy(() -> ElectionMode.choose(env("CARAVAN_LEADER_ELECTION", "file", "KUBERNETES_SERVICE_HOST", "10.43.0.1",
                "camel.cluster.file.root", "/var/lib/caravan/cluster")))
                .hasMessageStartingWith("CARAVAN_LEADER_ELECTION=file in a Kubernetes pod: each agent would lock its own /var/lib/caravan/cluster")
                .hasMessageContaining("Set CARAVAN_LEADER_ELECTION=kubernetes").hasMessageContaining("CARAVAN_LEADER_FILE_SHARED=true");
        assertThatThrownBy(() -> ElectionMode.choose(env("CARAVAN_LEADER_ELECTION", "k8s")))
                .hasMessage("CARAVAN_LEADER_ELECTION=k8s is not a leader election: use kubernetes (a Lease) or file (a lock file), or leave it unset");
    }

    /** The whole agent, as the README's default data directory on every node of a DaemonSet would run it: no start. */
    @Test
    void theAgentRefusesToStartWithALockFileOfItsOwnInAPod() {
        SpringApplicationBuilder agent = new SpringApplicationBuilder(CaravanApplication.class).properties(
                "CARAVAN_LEADER_ELECTION=file", "KUBERNETES_SERVICE_HOST=10.43.0.1", "CARAVAN_DATA_DIR=" + data,
                "CARAVAN_HTTP_PORT=0", "CARAVAN_SELF_SCRAPE=false", "camel.main.routes-include-pattern=classpath:routes/templates.yaml,classpath:routes/sinks.yaml,classpath:routes/blackbox.yaml");
        assertThatThrownBy(agent::run).rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("CARAVAN_LEADER_ELECTION=file in a Kubernetes pod: each agent would lock its own " + data + "/cluster");
        assertThat(data.resolve("cluster")).as("no lock taken").doesNotExist();
    }
}
