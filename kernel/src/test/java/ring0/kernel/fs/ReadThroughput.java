package ring0.kernel.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A quick timing, not a test: sequential reads of a file in 16 KiB records,
 * through {@link FdTable} with every page in the kernel's cache, against
 * {@link FileChannel} positional reads of the same file (host page cache
 * warm), both into native memory. Prints GB/s, median of the passes.
 *
 * <p>Arguments: [file size in MiB, default 64] [passes, default 15].
 */
public final class ReadThroughput {
    private ReadThroughput() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int record = 16 << 10;
        long size = (long) mib << 20;
        Path dir = Files.createTempDirectory("ring0-read");
        Path file = dir.resolve("f");
        Files.write(file, Fx.random(1, (int) size));
        try (PageCache cache = new PageCache(); Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FdTable t = Fx.table(new Vfs(dir, cache));
            int fd = Fx.open(t, "f", OpenFlags.O_RDONLY);
            MemorySegment buf = arena.allocate(record, 4096);
            ByteBuffer bb = buf.asByteBuffer();
            double[] kernel = new double[passes], channel = new double[passes];
            long warmEnd = System.nanoTime() + 2_000_000_000L; // passes in the first 2 s only warm up
            for (int p = 0; p < passes; ) {
                t.lseek(fd, 0, OpenFile.SEEK_SET);
                long t0 = System.nanoTime();
                long n = 0, r;
                while ((r = t.read(fd, buf, 0, record)) > 0) n += r;
                long t1 = System.nanoTime();
                check(n, size);
                n = 0;
                for (long pos = 0; ; pos += r) {
                    bb.clear();
                    r = ch.read(bb, pos);
                    if (r <= 0) break;
                    n += r;
                }
                long t2 = System.nanoTime();
                check(n, size);
                if (t0 > warmEnd) {
                    kernel[p] = size / (double) (t1 - t0);
                    channel[p++] = size / (double) (t2 - t1);
                }
            }
            PageCache.Stats s = cache.stats();
            System.out.printf("file %d MiB, %d KiB records, %d passes (median)%n", mib, record >> 10, passes);
            System.out.printf("  FdTable.read, cache hit : %6.2f GB/s  (misses %d = one per page, first pass only)%n",
                    median(kernel), s.misses());
            System.out.printf("  FileChannel.read        : %6.2f GB/s%n", median(channel));
            t.closeAll();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void check(long n, long size) {
        if (n != size) throw new IllegalStateException("read " + n + " of " + size);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
