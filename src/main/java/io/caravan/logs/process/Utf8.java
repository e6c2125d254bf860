package io.caravan.logs.process;

/** UTF-8 byte length without encoding: Loki and Alloy measure lines in bytes. */
final class Utf8 {

    private Utf8() {
    }

    static int length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    n += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 2; // 4 bytes for 2 chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    n += 2;
                }
            }
        }
        return n;
    }
}
