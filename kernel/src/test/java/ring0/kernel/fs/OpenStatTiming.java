package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A quick timing, not a test: {@code fstat} of an open regular file,
 * {@code open}+{@code close} of it (one directory down), and write-back of a
 * 16 MiB file at close, through {@link FdTable}, without the upcall. Prints
 * the best and the median batch, in ns per call, after a warm-up (the best
 * is the one to compare on a loaded machine). Then {@code open}+{@code close}
 * of files 1, 2 and 5 directories down, and of one reached through a symbolic
 * link, in CPU time of the process, over batches of 20,000 calls (steadier
 * than wall time when other processes compete for the CPUs; after the
 * warm-up the loop is nearly all of it; the clock ticks in 10 ms, 0.5 µs per
 * call).
 *
 * <p>Arguments: [batches, default 15].
 */
public final class OpenStatTiming {
    private OpenStatTiming() {}

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path dir = Files.createTempDirectory("ring0-openstat");
        Files.createDirectory(dir.resolve("d"));
        Files.write(dir.resolve("d/f"), Fx.random(1, 10_000));
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(dir, cache));
            int fd = Fx.open(t, "d/f", OpenFlags.O_RDONLY);
            MemorySegment buf = MemorySegment.ofArray(new byte[Stat.SIZE]);
            byte[] path = Fx.b("/d/f");
            double[] fstat = new double[batches], openclose = new double[batches], closewrite = new double[batches];
            int n = 20_000, m = 2_000;
            byte[] data = Fx.random(2, 16 << 20);
            for (int warm = 0; warm < 5; warm++) time(t, fd, buf, path, n, m);
            for (int b = 0; b < batches; b++) {
                double[] r = time(t, fd, buf, path, n, m);
                fstat[b] = r[0];
                openclose[b] = r[1];
                int w = Fx.open(t, "d/w", OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_TRUNC);
                Fx.writeAll(t, w, data, 16 << 10);
                long t0 = System.nanoTime();
                if (t.close(w) != 0) throw new AssertionError("close");
                closewrite[b] = (System.nanoTime() - t0) / 1e6;
            }
            t.close(fd);
            System.out.printf("fstat      best %9.1f  median %9.1f ns/call%n", min(fstat), median(fstat));
            System.out.printf("open+close best %9.1f  median %9.1f ns/call%n", min(openclose), median(openclose));
            System.out.printf("close 16M  best %9.2f  median %9.2f ms (write-back)%n", min(closewrite), median(closewrite));
            Files.createDirectories(dir.resolve("a/b/c/d"));
            Files.writeString(dir.resolve("top"), "x");
            Files.writeString(dir.resolve("a/b/c/d/deep"), "x");
            Files.createSymbolicLink(dir.resolve("link"), Path.of("d"));
            for (String p : new String[] {"/top", "/d/f", "/a/b/c/d/deep", "/link/f"}) {
                double[] cpu = new double[Math.min(batches, 8)];
                for (int warm = 0; warm < 2; warm++) cpuOpenClose(t, Fx.b(p), 10 * m);
                for (int b = 0; b < cpu.length; b++) cpu[b] = cpuOpenClose(t, Fx.b(p), 10 * m);
                System.out.printf("open+close %-14s CPU  best %9.1f  median %9.1f ns/call%n", p, min(cpu), median(cpu));
            }
        }
    }

    private static double[] time(FdTable t, int fd, MemorySegment buf, byte[] path, int n, int m) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) if (t.fstat(fd, buf, 0) != 0) throw new AssertionError("fstat");
        long t1 = System.nanoTime();
        for (int i = 0; i < m; i++) {
            long f = t.open(path, OpenFlags.O_RDONLY, 0);
            if (f < 0 || t.close(f) != 0) throw new AssertionError("open/close " + f);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / (double) n, (t2 - t1) / (double) m};
    }

    /** CPU time of this process (user and system) per {@code open}+{@code close} of {@code path}, over {@code m} calls. */
    private static double cpuOpenClose(FdTable t, byte[] path, int m) {
        long c0 = cpuNanos();
        for (int i = 0; i < m; i++) {
            long f = t.open(path, OpenFlags.O_RDONLY, 0);
            if (f < 0 || t.close(f) != 0) throw new AssertionError("open/close " + f);
        }
        return (cpuNanos() - c0) / (double) m;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
