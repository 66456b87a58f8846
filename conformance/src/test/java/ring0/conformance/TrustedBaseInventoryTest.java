package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/trusted-base.md must list exactly the files of the trusted base (the
 * verifier module and the kernel runtime) with their current line counts, so
 * the reported size of the trusted base is true.
 * Regenerate it with {@code scripts/trusted-base.sh}.
 */
class TrustedBaseInventoryTest {

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/trusted-base.sh"))) p = p.getParent();
        assertThat(p).as("repository root").isNotNull();
        return p;
    }

    @Test
    void inventoryListsEveryTrustedFileWithItsLineCount() throws IOException {
        Path root = repo();
        Map<String, Long> actual = new TreeMap<>();
        for (String part : new String[] {"trusted/src/main/java", "kernel/src/main/java"}) {
            try (Stream<Path> files = Files.walk(root.resolve(part))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    long lines;
                    try (Stream<String> s = Files.lines(f)) {
                        lines = s.count();
                    }
                    actual.put(root.relativize(f).toString(), lines);
                }
            }
        }
        Map<String, Long> listed = new TreeMap<>();
        Matcher m = Pattern.compile("^\\| `([^`]+\\.java)` \\| (\\d+) \\|", Pattern.MULTILINE)
                .matcher(Files.readString(root.resolve("docs/trusted-base.md")));
        while (m.find()) listed.put(m.group(1), Long.parseLong(m.group(2)));
        assertThat(listed)
                .as("docs/trusted-base.md is out of date: run scripts/trusted-base.sh")
                .isEqualTo(actual);
        assertThat(actual).isNotEmpty();
    }
}
