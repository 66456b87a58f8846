package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.kernel.fs.Fx.b;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which paths the host may resolve by itself ({@link PlainPath}); the rest take the walk. */
class PlainPathTest {
    private static final HostNames UTF8 = new HostNames(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a|true", "/a|true", "a/b/c.txt|true", "//a///b|true", "../../a|true", "/../a/./b/../c|true", "a/.../b|true",
        "ünïcødé|true", "a b|true", "devnull|true", "a/devices/x|true", "xdev/y|true",
        "a/|false", "/|false", ".|false", "a/.|false", "a/..|false", "..|false",
        "dev|false", "/dev/null|false", "a/dev/x|false", "a/../dev/zero|false", "dev/../a|false",
    })
    void plainOrNot(String path, boolean plain) {
        assertThat(PlainPath.test(b(path), UTF8)).isEqualTo(plain);
    }

    @Test
    void limitsAndSpelling() {
        assertThat(PlainPath.test(new byte[0], UTF8)).isFalse();
        assertThat(PlainPath.test(b("x".repeat(255)), UTF8)).isTrue();
        assertThat(PlainPath.test(b("x".repeat(256)), UTF8)).isFalse();
        assertThat(PlainPath.test(b("/".repeat(4094) + "x"), UTF8)).isTrue();
        assertThat(PlainPath.test(b("/".repeat(4095) + "x"), UTF8)).isFalse();
        assertThat(PlainPath.test(new byte[] {'a', '/', (byte) 0xff}, UTF8)).isFalse();
        assertThat(PlainPath.test(new byte[] {(byte) 0xc3, (byte) 0xbc}, UTF8)).isTrue();
        assertThat(PlainPath.test(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, UTF8)).isFalse();
    }
}
