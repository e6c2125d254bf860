package io.caravan.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected outputs are what Go 1.22+ prints: fmt.Sprintf("%q", s) and json.Marshal(s). */
class GoStringsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            plain ASCII           | 'Pulled image "nginx:1.27"'  | '"Pulled image \\"nginx:1.27\\""'
            backslash             | 'C:\\dir'                    | '"C:\\\\dir"'
            short escapes         | 'a\u0007b\bc\fd\ne\rf\tg\u000bh' | '"a\\ab\\bc\\fd\\ne\\rf\\tg\\vh"'
            other control chars   | 'soh\u0001 esc\u001b del\u007f' | '"soh\\x01 esc\\x1b del\\x7f"'
            printable Unicode     | 'naïve 日本 😀'                | '"naïve 日本 😀"'
            non-printable format  | 'zero\u200bwidth'            | '"zero\\u200bwidth"'
            line separator        | 'a\u2028b'                   | '"a\\u2028b"'
            no-break space        | 'a\u00a0b'                   | '"a\\u00a0b"'
            """)
    void quoteAsGoStrconvQuote(String name, String in, String expected) {
        assertThat(GoStrings.quote(in)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            plain                 | 'Started container web'      | '"Started container web"'
            quote and backslash   | 'say "hi" \\ bye'             | '"say \\"hi\\" \\\\ bye"'
            short escapes         | 'b\bf\fn\nr\rt\t'            | '"b\\bf\\fn\\nr\\rt\\t"'
            other control chars   | 'bell\u0007 esc\u001b'       | '"bell\\u0007 esc\\u001b"'
            HTML-safe             | '<a href="x">&</a>'          | '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"'
            line separators       | 'a\u2028b\u2029c'            | '"a\\u2028b\\u2029c"'
            Unicode kept          | 'naïve 日本 😀 del\u007f'      | '"naïve 日本 😀 del\u007f"'
            """)
    void jsonStringAsGoEncodingJson(String name, String in, String expected) {
        StringBuilder sb = new StringBuilder();
        GoStrings.appendJsonString(sb, in);
        assertThat(sb.toString()).isEqualTo(expected);
    }
}
