package io.caravan.logs;

import java.nio.file.Path;

/** Where positions live: the endpoint or component option, else {@code CARAVAN_DATA_DIR}, else {@code ./data}. */
public final class DataDir {

    public static final String ENV = "CARAVAN_DATA_DIR";

    private DataDir() {
    }

    public static Path resolve(String endpointOption, String componentOption) {
        if (endpointOption != null && !endpointOption.isBlank()) {
            return Path.of(endpointOption);
        }
        if (componentOption != null && !componentOption.isBlank()) {
            return Path.of(componentOption);
        }
        String env = System.getenv(ENV);
        return Path.of(env != null && !env.isBlank() ? env : "./data");
    }

    /** {@code <dataDir>/positions/<scheme>-<name>.jsonl}; the name is made safe for a file name. */
    public static Path positionsFile(Path dataDir, String scheme, String name) {
        return dataDir.resolve("positions").resolve(scheme + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl");
    }
}
