package io.caravan.logs;

/**
 * The CRI log format (containerd, CRI-O): {@code <time> <stdout|stderr> <P|F>[:tags] <content>}, e.g.
 * {@code 2024-01-01T00:00:00.123456789Z stdout F hello}. A "P" flag marks a piece of a line the runtime split
 * (16 KiB by default); the line ends at the next "F" of the same stream.
 * <p>
 * One parser for pod-logs and the loki-process cri stage; they differ only in how strict they are, which
 * {@link Grammar} says. An instance keeps where the fields of the last line are, so that parsing allocates
 * nothing (it runs per log line): callers take only the substrings they need. One instance per reader thread.
 */
public final class CriParser {

    /** How strictly a line is read. */
    public enum Grammar {
        /** As the runtimes write it: one space between fields and a flag, possibly with ":"-tags after it. */
        RUNTIME,
        /** As Alloy's stage.cri reads it: runs of spaces, an optional flag, the time up to any whitespace. */
        ALLOY
    }

    private final Grammar grammar;
    private String line;
    private int timeEnd;
    private String stream;
    private boolean partial;
    private int contentStart;

    public CriParser(Grammar grammar) {
        this.grammar = grammar;
    }

    /** Whether the line is CRI; if it is, the accessors describe it until the next call. */
    public boolean parse(String s) {
        line = s;
        int n = s.length();
        int p;
        if (grammar == Grammar.RUNTIME) {
            timeEnd = s.indexOf(' ');
            if (timeEnd < 0) {
                return false;
            }
            p = timeEnd + 1;
        } else {
            int i = 0;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            timeEnd = i == n ? 0 : i; // Alloy: a line of one token has no time, and may still be a stream
            p = i == n ? 0 : separator(s, i);
        }
        if (s.startsWith("stdout", p)) {
            stream = "stdout";
        } else if (s.startsWith("stderr", p)) {
            stream = "stderr";
        } else {
            return false;
        }
        p = separator(s, p + 6);
        if (p < 0) {
            return false;
        }
        char flag = p < n ? s.charAt(p) : 0;
        partial = flag == 'P';
        if (flag != 'P' && flag != 'F') {
            contentStart = p;
            return grammar == Grammar.ALLOY; // a runtime always writes the flag
        }
        if (grammar == Grammar.ALLOY) {
            contentStart = separator(s, p + 1);
            return true;
        }
        // tags may follow the flag after ':'; the content starts after the next space (none: an empty line)
        if (p + 1 < n && s.charAt(p + 1) != ' ' && s.charAt(p + 1) != ':') {
            return false;
        }
        int space = s.indexOf(' ', p + 1);
        contentStart = space < 0 ? n : space + 1;
        return true;
    }

    /** The time field is {@code line[0, timeEnd)}: its parsing is the caller's, which keeps it as text or not. */
    public int timeEnd() {
        return timeEnd;
    }

    public String time() {
        return line.substring(0, timeEnd);
    }

    public String stream() {
        return stream;
    }

    public boolean partial() {
        return partial;
    }

    public String content() {
        return line.substring(contentStart);
    }

    /** Past the separator at i, or -1 when a runtime's single space is missing; Alloy skips any run of spaces. */
    private int separator(String s, int i) {
        if (grammar == Grammar.RUNTIME) {
            return i < s.length() && s.charAt(i) == ' ' ? i + 1 : -1;
        }
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
