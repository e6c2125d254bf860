package io.caravan.component;

import java.util.List;

/**
 * A Camel component that reports its endpoints' status. The UI and the health indicators find every one
 * through the CamelContext's components, so they depend on this contract, not on the data-path packages.
 */
public interface StatusSource {

    /** One status per running endpoint (or job, or sink), in a stable order. */
    List<ComponentStatus> statuses();
}
