package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeasurementTest {
    @Test
    void parsesOneLinePerMeasurement() throws Exception {
        var ms = Measurement.parseAll("p", "getpid 1000 250000\nread 10 0\n");
        assertThat(ms).containsExactly(new Measurement("getpid", 1000, 250000), new Measurement("read", 10, 0));
        assertThat(ms.getFirst().nanosPerCount()).isEqualTo(250.0);
        assertThat(Measurement.parseAll("p", "")).isEmpty();
    }

    @Test
    void throughputIsMillionsOfBytesPerSecond() {
        assertThat(new Measurement("read", 2_000_000, 1_000_000).megabytesPerSecond()).isCloseTo(2000.0, within(1e-9));
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[] {"getpid 1000", "getpid 1000 2 3", "GetPid 1 2", "getpid -1 2", "getpid 0 5",
                "getpid 1 x", "getpid  1 2", " getpid 1 2", "getpid 1 2 ", "get_pid 1 2", "lat_syscall: read failed",
                "getpid 1 9999999999999999999"}) {
            assertThatThrownBy(() -> Measurement.parseAll("prog", bad + "\n")).as(bad)
                    .isInstanceOf(BenchException.class).hasMessageContaining("prog printed an unexpected line 1");
        }
    }
}
