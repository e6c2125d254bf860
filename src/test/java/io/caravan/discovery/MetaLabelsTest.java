package io.caravan.discovery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetaLabelsTest {

    @Test
    void sanitizeReplacesEveryCharacterOutsideTheLabelAlphabetWithOneUnderscore() {
        assertThat(MetaLabels.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
        assertThat(MetaLabels.sanitize("node-role.kubernetes.io/control-plane")).isEqualTo("node_role_kubernetes_io_control_plane");
        assertThat(MetaLabels.sanitize("Already_OK_123")).isEqualTo("Already_OK_123");
        assertThat(MetaLabels.sanitize("9lives")).isEqualTo("9lives"); // leading digit kept: always used after a prefix
        assertThat(MetaLabels.sanitize("café")).isEqualTo("caf_");
        assertThat(MetaLabels.sanitize("a\uD83D\uDE00b")).isEqualTo("a_b"); // one code point, one underscore
        assertThat(MetaLabels.sanitize("")).isEmpty();
    }

    @Test
    void joinHostPortBracketsIpv6() {
        assertThat(MetaLabels.joinHostPort("10.0.0.1", "80")).isEqualTo("10.0.0.1:80");
        assertThat(MetaLabels.joinHostPort("fd00::1", "80")).isEqualTo("[fd00::1]:80");
    }
}
