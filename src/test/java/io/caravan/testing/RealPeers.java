package io.caravan.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.util.List;

/**
 * Finds the real peer programs from Debian's packages. Where one is missing the test is skipped with a
 * message saying which package to install, unless CARAVAN_E2E_REQUIRED=1 (as in CI), where it fails.
 */
public final class RealPeers {

    private RealPeers() {
    }

    public static String require(String program, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String message = program + " not found: install the Debian package '" + debianPackage
                + "' (apt-get install -y " + debianPackage + ") to run this test";
        if ("1".equals(System.getenv("CARAVAN_E2E_REQUIRED"))) {
            Assertions.fail(message + " (CARAVAN_E2E_REQUIRED=1)");
        }
        Assumptions.abort(message);
        return null;
    }
}
