package io.caravan.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may reload or tap: loopback (IPv4 and IPv6, as the servlet gives the remote address), else only when opened. */
class LoopbackOnlyTest {

    @ParameterizedTest(name = "{0}, open to all {1}: {2}")
    @CsvSource({
        "127.0.0.1, false, true",
        "127.8.9.10, false, true",
        "0:0:0:0:0:0:0:1, false, true",
        "::1, false, true",
        "10.42.0.7, false, false",
        "192.168.1.20, false, false",
        "fd00::7, false, false",
        "10.42.0.7, true, true",
    })
    void onlyTheAgentsOwnHostUnlessOpened(String address, boolean openToAll, boolean allowed) {
        assertThat(LoopbackOnly.allows(address, openToAll)).isEqualTo(allowed);
    }
}
