package io.caravan.logs.process;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** RE2 (Go regexp) compilation with a message that names the option. */
final class Regexes {

    private Regexes() {
    }

    static Pattern compile(String option, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + option + "' is not a valid RE2 regular expression: " + e.getMessage());
        }
    }
}
