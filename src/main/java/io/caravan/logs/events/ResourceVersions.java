package io.caravan.logs.events;

/**
 * resourceVersions compared as the numbers they are on every etcd-backed API server (etcd's revision). Kubernetes
 * calls them opaque; where one does not read as a number, it counts as newer, so nothing is skipped for it.
 */
final class ResourceVersions {

    private ResourceVersions() {
    }

    /** Whether rv comes after cursor (true when there is no cursor, or either is not a number). */
    static boolean after(String rv, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return true;
        }
        Long a = number(rv);
        Long b = number(cursor);
        return a == null || b == null || a > b;
    }

    /** The later of two cursors; either may be null. */
    static String newer(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b == null || b.isEmpty() ? null : b;
        }
        if (b == null || b.isEmpty()) {
            return a;
        }
        return after(b, a) && number(b) != null ? b : a;
    }

    static Long number(String rv) {
        if (rv == null || rv.isEmpty() || rv.length() > 18) {
            return null;
        }
        for (int i = 0; i < rv.length(); i++) {
            if (rv.charAt(i) < '0' || rv.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(rv);
    }
}
