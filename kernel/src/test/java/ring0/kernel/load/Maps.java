package ring0.kernel.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test-only: the permissions of this process's mappings, from {@code /proc/self/maps}. */
final class Maps {
    private Maps() {}

    /** The permission string ({@code r-xp}, ...) of the mapping holding {@code addr}, or {@code null} if unmapped. */
    static String permissions(long addr) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] f = line.split("\\s+");
            String[] range = f[0].split("-");
            long lo = Long.parseUnsignedLong(range[0], 16), hi = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(addr, lo) >= 0 && Long.compareUnsigned(addr, hi) < 0) return f[1];
        }
        return null;
    }
}
