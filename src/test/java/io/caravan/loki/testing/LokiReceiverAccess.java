package io.caravan.loki.testing;

import java.util.Map;

/** Lets tests in other packages use the receiver's label parser. */
public final class LokiReceiverAccess {

    private LokiReceiverAccess() {
    }

    public static Map<String, String> parse(String labels) {
        return LokiReceiver.parseLabels(labels);
    }
}
