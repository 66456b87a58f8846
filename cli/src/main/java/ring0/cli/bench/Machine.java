package ring0.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the reports say about the machine at the time of the run. */
final class Machine {
    private Machine() {}

    /** The 1-minute load average from {@code /proc/loadavg}, or NaN if unreadable. */
    static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).strip();
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Online processors as the JVM sees them. */
    static int processors() { return Runtime.getRuntime().availableProcessors(); }
}
