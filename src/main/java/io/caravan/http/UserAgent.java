package io.caravan.http;

/** The User-Agent every request of the agent carries: "Caravan/" and the jar's version ("dev" when run from classes). */
public final class UserAgent {

    public static final String CARAVAN = "Caravan/" + version();

    private UserAgent() {
    }

    private static String version() {
        String v = UserAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
