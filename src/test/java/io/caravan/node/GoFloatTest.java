package io.caravan.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints. */
class GoFloatTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0", "1|1", "-1|-1", "1000000|1e+06", "123456|123456", "1234567|1.234567e+06", "0.001|0.001",
        "0.0001|0.0001", "0.00001|1e-05", "0.000012345|1.2345e-05", "4410.79|4410.79", "0.7000000000000001|0.7000000000000001",
        "2.312172544e9|2.312172544e+09", "1.5e300|1.5e+300", "1e21|1e+21", "1e22|1e+22", "123456789012345678|1.2345678901234568e+17",
        "9007199254740993|9.007199254740992e+15", "18446744073709551615|1.8446744073709552e+19", "0.1|0.1", "0.3|0.3",
        "5e-324|5e-324", "1.7976931348623157e308|1.7976931348623157e+308", "2e-7|2e-07", "-2.5|-2.5", "100|100",
        "3.97|3.97", "1.7408304002499998e9|1.7408304002499998e+09", "2.8287938480615900e17|2.82879384806159e+17",
        "1.0E23|1e+23", "8.41e21|8.41e+21", "5.0E-324|5e-324", "4.35|4.35", "0.000123|0.000123"})
    void formatsLikeGo(double v, String expected) {
        assertThat(GoFloat.format(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"NaN|NaN", "Infinity|+Inf", "-Infinity|-Inf", "-0.0|-0"})
    void specials(double v, String expected) {
        assertThat(GoFloat.format(v)).isEqualTo(expected);
    }
}
