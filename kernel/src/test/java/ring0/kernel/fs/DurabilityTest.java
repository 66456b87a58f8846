package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, for real: a child JVM writes through the kernel's
 * file layer, fsyncs, and is killed with SIGKILL; the fsync'd data must be in
 * the host file. The bytes written after the fsync must not be, which shows
 * the cache really holds writes back (otherwise the first check would prove
 * nothing).
 */
class DurabilityTest {
    @TempDir Path root;

    /** The bytes the child writes: a recognisable, position-dependent pattern. */
    static byte[] content(int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) a[i] = (byte) (i * 31 + (i >>> 12));
        return a;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fsyncedDataSurvivesKillMinus9() throws Exception {
        int n = 1_000_003;
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED"); // the file layer's host I/O is FFM downcalls
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(DurabilityChild.class.getName());
        cmd.add(root.toString());
        cmd.add("durable.bin");
        cmd.add(Integer.toString(n));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("synced");
            assertThat(out.readLine()).isEqualTo("unsynced");
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        byte[] onHost = Files.readAllBytes(root.resolve("durable.bin"));
        assertThat(onHost).hasSize(n).isEqualTo(content(n));
    }

    /** The classes of this module (main and test) and everything on the test's class and module paths. */
    private static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(Path.of(DurabilityChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        entries.add(Path.of(FdTable.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v == null) continue;
            for (String e : v.split(File.pathSeparator)) if (!e.isBlank()) entries.add(e);
        }
        return String.join(File.pathSeparator, entries);
    }
}
