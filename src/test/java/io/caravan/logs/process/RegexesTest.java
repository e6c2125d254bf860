package io.caravan.logs.process;

import com.google.re2j.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The set lookup stands in for RE2 only where it gives RE2's answer: each regex against every input, both ways. */
class RegexesTest {

    static final List<String> INPUTS = List.of("", "leases", "events", "lease", "leasesx", "xleases", "leases\n", "a", "b", "ab",
            "a-b", "A_1", "events|leases", "^leases$");

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("^(leases|events)$", Set.of("leases", "events")),
                arguments("^leases$", Set.of("leases")),
                arguments("^(a|)$", Set.of("a", "")),
                arguments("^(a-b|A_1)$", Set.of("a-b", "A_1")),
                arguments("^a|b$", null),            // (^a)|(b$)
                arguments("^(a)|(b)$", null),
                arguments("^(lease.)$", null),
                arguments("^(leases|events)", null),
                arguments("(leases|events)$", null),
                arguments("^(?i)leases$", null),
                arguments("^()$", Set.of("")),
                arguments("^$", Set.of("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void set_only_where_it_is_the_same(String regex, Set<String> words) {
        assertThat(Regexes.anchoredWords(regex)).isEqualTo(words);
        Pattern re2 = Pattern.compile(regex);
        for (String input : INPUTS) {
            assertThat(Regexes.finder("expression", regex).test(input)).as("%s on %s", regex, input).isEqualTo(re2.matcher(input).find());
        }
    }
}
