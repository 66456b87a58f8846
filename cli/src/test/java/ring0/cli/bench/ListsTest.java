package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ListsTest {
    @Test
    void sizesAreBinaryMultiples() {
        assertThat(new Lists.SizeList().convert("64k, 1M,2g,3000000k"))
                .containsExactly(64L << 10, 1L << 20, 2L << 30, 3_000_000L << 10);
        assertThat(Lists.size("100")).isEqualTo(100);
        assertThat(Lists.sizeText(256L << 20)).isEqualTo("256m");
        assertThat(Lists.sizeText(1536L << 10)).isEqualTo("1536k");
        assertThat(Lists.sizeText(1000)).isEqualTo("1000");
    }

    @Test
    void badSizesAreRefused() {
        for (String bad : new String[] {"", "k", "0", "0k", "12x", "-1k", "1.5m", "64k,,1m", "1m,64k", "1m,1m", "1234567890k"}) {
            assertThatThrownBy(() -> new Lists.SizeList().convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }

    @Test
    void gatesAndTests() {
        assertThat(new Lists.GateList().convert("ring0,syscall")).containsExactly(Gate.RING0, Gate.SYSCALL);
        assertThat(new Lists.TestList().convert("read,getpid")).containsExactly("read", "getpid");
        for (String bad : List.of("int81", "ring0,ring0", "")) {
            assertThatThrownBy(() -> new Lists.GateList().convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
        assertThatThrownBy(() -> new Lists.TestList().convert("stat")).hasMessageContaining("unknown test 'stat'");
    }
}
