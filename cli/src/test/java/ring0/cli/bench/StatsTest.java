package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 100.0))).isEqualTo(3.5);
        assertThat(Stats.median(List.of(7.0))).isEqualTo(7.0);
    }

    @Test
    void quantilesInterpolate() {
        List<Double> v = List.of(10.0, 40.0, 20.0, 30.0, 50.0);
        assertThat(Stats.quantile(v, 0)).isEqualTo(10.0);
        assertThat(Stats.quantile(v, 0.25)).isEqualTo(20.0);
        assertThat(Stats.quantile(v, 1)).isEqualTo(50.0);
        assertThat(Stats.quantile(List.of(0.0, 1.0), 0.25)).isEqualTo(0.25);
    }

    @Test
    void refusesNothingAndBadQuantiles() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.quantile(List.of(1.0), 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
