package io.caravan.relabel;

import java.util.Locale;

/** The eleven relabel actions of Prometheus 3, under their YAML spelling. */
public enum RelabelAction {
    REPLACE("replace"),
    KEEP("keep"),
    DROP("drop"),
    KEEPEQUAL("keepequal"),
    DROPEQUAL("dropequal"),
    HASHMOD("hashmod"),
    LABELMAP("labelmap"),
    LABELDROP("labeldrop"),
    LABELKEEP("labelkeep"),
    LOWERCASE("lowercase"),
    UPPERCASE("uppercase");

    private final String yamlName;

    RelabelAction(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** The action for a YAML value; Prometheus ignores case here ("Replace" is "replace"). Null when unknown. */
    public static RelabelAction fromYaml(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (RelabelAction a : values()) {
            if (a.yamlName.equals(lower)) {
                return a;
            }
        }
        return null;
    }

    /** The accepted spellings, for error messages. */
    static String allNames() {
        StringBuilder sb = new StringBuilder();
        for (RelabelAction a : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(a.yamlName);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
