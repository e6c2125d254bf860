package io.caravan.logs;

import io.caravan.model.Labels;
import io.caravan.model.NameValuePairs;

/** A {@code labels=job=kube-audit,source=audit} URI option as Labels; a pair without '=' is a configuration error. */
public final class LabelOption {

    private LabelOption() {
    }

    public static Labels parse(String endpoint, String text) {
        return NameValuePairs.labels(endpoint + " labels", text);
    }
}
