package io.caravan.tap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a tap never shows: secrets in label values, endpoint options and log lines, replaced by {@value #MASK}. The UI's
 * port may be open to the cluster (the chart binds 0.0.0.0 for the probes), so a tap must not hand out what the
 * pipeline carries for its own use: a {@code __meta_kubernetes_secret_*} label, a {@code password=} option, a bearer
 * token in an access log line. It errs on the side of hiding: a harmless value under a secret-sounding name is hidden too.
 */
public final class Redaction {

    public static final String MASK = "***";

    /** Words in a name that say its value is a secret (authorization too: in text, see AUTHORIZATION). */
    private static final String PAIR_WORDS = "password|passwd|secret|token|bearer|api[_-]?key|credential|private[_-]?key";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)(" + PAIR_WORDS + "|authorization)");
    /** A name that points at a secret rather than holding one (bearer_token_file, passwordFile, token_path). */
    private static final Pattern REFERENCE = Pattern.compile("(?i)(file|path)$");

    /** https://user:password@host: the password; the user and host stay. */
    private static final Pattern USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^\\s/:@]*):([^\\s/@]+)@");
    /** An Authorization header or field (Proxy-Authorization, http_authorization): its credentials, the scheme word (Bearer, Basic) kept. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(\\b[\\w.-]*authorization[\"']?\\s*[:=]\\s*[\"']?)(?:(bearer|basic|token|digest|negotiate)\\s+)?([^\\s\"',;&]+)");
    /** A bearer token anywhere else ("Bearer eyJ..."). */
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+([A-Za-z0-9._~+/=-]{4,})");
    /**
     * name=value, name: value, "name":"value" where the name has a secret word: the value (a quoted one up to its
     * closing quote, else up to a space, quote, comma, semicolon, ampersand or brace).
     */
    private static final Pattern PAIR = Pattern.compile("(?i)\\b([\\w.-]*(?:" + PAIR_WORDS + ")[\\w.-]*)"
            + "([\"']?\\s*[:=]\\s*([\"']?))((?<=\")[^\"]*|(?<=')[^']*|[^\\s\"',;&}]+)");

    private Redaction() {
    }

    /** Whether a label or option of this name holds a secret: its value is never shown. */
    public static boolean isSecretName(String name) {
        if (name.startsWith("__meta_kubernetes_secret_")) {
            return true;
        }
        return SECRET_NAME.matcher(name).find() && !REFERENCE.matcher(name).find();
    }

    /** A label's value as a tap shows it: masked under a secret name, else with the secrets in its text masked. */
    public static String labelValue(String name, String value) {
        return isSecretName(name) ? MASK : text(value);
    }

    /** Free text (a log line, an endpoint URI, an error message) with URL passwords, credentials and secret pairs masked. */
    public static String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = USERINFO.matcher(s).replaceAll("$1:" + MASK + "@");
        out = authorization(out);
        out = BEARER.matcher(out).replaceAll("$1 " + MASK);
        return pairs(out);
    }

    private static String authorization(String s) {
        Matcher m = AUTHORIZATION.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String scheme = m.group(2) == null ? "" : m.group(2) + " ";
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + scheme + MASK));
        }
        return m.appendTail(sb).toString();
    }

    private static String pairs(String s) {
        Matcher m = PAIR.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String name = m.group(1);
            // a file or path names no secret; an empty or already masked value has nothing to hide
            boolean reference = REFERENCE.matcher(name).find() || m.group(4).isEmpty() || m.group(4).startsWith(MASK);
            m.appendReplacement(sb, Matcher.quoteReplacement(reference ? m.group() : name + m.group(2) + MASK));
        }
        return m.appendTail(sb).toString();
    }
}
