package io.caravan.relabel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Template expansion as Go's Regexp.ExpandString, against regex (?P<first>a)(b)?(c) on "ac" or "abc". */
class ReplacementTemplateTest {

    @ParameterizedTest(name = "[{0}] on {1} -> [{2}]")
    @CsvSource(delimiter = '|', emptyValue = "", quoteCharacter = '\'', value = {
            "$1|abc|a",
            "${1}|abc|a",
            "$first|abc|a",
            "${first}|abc|a",
            "$0|abc|abc",
            "$2|abc|b",
            "$2|ac|''",
            "$3|abc|c",
            "$4|abc|''",
            "$1x|abc|''",
            "${1}x|abc|ax",
            "$firstx|abc|''",
            "${first}x|abc|ax",
            "$$|abc|$",
            "$$1|abc|$1",
            "$|abc|$",
            "x$|abc|x$",
            "${|abc|${",
            "${}|abc|${}",
            "${1|abc|${1",
            "$-|abc|$-",
            "$.1|abc|$.1",
            "$01|abc|''",
            "$100000000|abc|''",
            "$1$2$3|abc|abc",
            "<$1.$3>|abc|<a.c>",
            "$1_$3|abc|c",
            "${1}_${3}|abc|a_c",
            "$1-$3|abc|a-c",
            "$é|abc|''",
            "plain|abc|plain",
            "''|abc|''",
    })
    void expandsLikeGo(String template, String input, String expected) {
        AnchoredRegex regex = AnchoredRegex.compile("(?P<first>a)(b)?(c)");
        ReplacementTemplate t = ReplacementTemplate.compile(template, regex);
        int[] spans = new int[(regex.groupCount() + 1) * 2];
        assertThat(regex.match(input, spans)).isTrue();
        assertThat(t.expand(input, spans)).isEqualTo(expected);
    }
}
