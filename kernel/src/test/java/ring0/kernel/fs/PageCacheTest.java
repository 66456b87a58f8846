package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ring0.kernel.fs.Fx.seg;
import static ring0.kernel.fs.OpenFlags.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The page cache: hits stay in memory, eviction keeps data right, many threads at once. */
class PageCacheTest {
    @TempDir Path root;

    @Test
    void hitsNeverTouchTheHostFile() throws IOException {
        byte[] data = Fx.random(1, 3 * 4096 + 100);
        Path p = Files.write(root.resolve("f"), data);
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "f", O_RDONLY);
            assertThat(Fx.readAll(t, fd, 1000)).isEqualTo(data);
            long misses = cache.stats().misses();
            assertThat(misses).isEqualTo(4);
            // Change the host file behind the kernel's back: a hit must still see the cached bytes.
            byte[] other = Fx.random(2, data.length);
            Files.write(p, other);
            assertThat(t.lseek(fd, 0, OpenFile.SEEK_SET)).isZero();
            assertThat(Fx.readAll(t, fd, 777)).isEqualTo(data);
            assertThat(cache.stats().misses()).isEqualTo(misses);
            assertThat(cache.stats().hits()).isGreaterThan(0);
            // After the last close, a reopen notices the host changed and drops the stale pages.
            assertThat(t.close(fd)).isZero();
            Files.write(p, Fx.random(3, data.length));
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
            fd = Fx.open(t, "f", O_RDONLY);
            assertThat(Fx.readAll(t, fd, 4096)).isEqualTo(Files.readAllBytes(p));
            t.closeAll();
        }
    }

    @Test
    void unchangedFilesKeepTheirPagesAcrossOpens() throws IOException {
        byte[] data = Fx.random(4, 10_000);
        Files.write(root.resolve("f"), data);
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "f", O_RDWR);
            Fx.readAll(t, fd, 4096);
            Fx.writeAll(t, fd, Fx.random(5, 5000), 5000);
            assertThat(t.close(fd)).isZero();
            long misses = cache.stats().misses();
            fd = Fx.open(t, "f", O_RDONLY);
            assertThat(Fx.readAll(t, fd, 4096)).isEqualTo(Files.readAllBytes(root.resolve("f"))).hasSize(15_000);
            assertThat(cache.stats().misses()).as("reopened file read from the cache").isEqualTo(misses);
            t.closeAll();
        }
    }

    @Test
    void evictionUnderATinyCacheKeepsDataRight() throws IOException {
        try (PageCache cache = new PageCache(8 * PageCache.PAGE_SIZE)) {
            FdTable t = Fx.table(new Vfs(root, cache));
            byte[] a = Fx.random(10, 1 << 20), b = Fx.random(11, 300_000);
            int fa = Fx.open(t, "a", O_RDWR | O_CREAT), fb = Fx.open(t, "b", O_RDWR | O_CREAT);
            Fx.writeAll(t, fa, a, 5000);
            Fx.writeAll(t, fb, b, 7000);
            // Overwrite scattered ranges, then read all back through the cache.
            Random rnd = new Random(12);
            for (int i = 0; i < 200; i++) {
                int at = rnd.nextInt(a.length - 10_000), len = 1 + rnd.nextInt(10_000);
                byte[] patch = Fx.random(100 + i, len);
                System.arraycopy(patch, 0, a, at, len);
                assertThat(t.lseek(fa, at, OpenFile.SEEK_SET)).isEqualTo(at);
                Fx.writeAll(t, fa, patch, len);
            }
            PageCache.Stats s = cache.stats();
            assertThat(s.residentPages()).isLessThanOrEqualTo(8);
            assertThat(s.evictions()).isGreaterThan(300);
            assertThat(s.writebacks()).as("dirty pages written on eviction").isGreaterThan(250);
            assertThat(Fx.fstat(t, fa).size()).isEqualTo(a.length);
            assertThat(t.lseek(fa, 0, OpenFile.SEEK_SET)).isZero();
            assertThat(Fx.readAll(t, fa, 3000)).isEqualTo(a);
            assertThat(t.lseek(fb, 0, OpenFile.SEEK_SET)).isZero();
            assertThat(Fx.readAll(t, fb, 3000)).isEqualTo(b);
            assertThat(t.closeAll()).isZero();
            assertThat(Files.readAllBytes(root.resolve("a"))).isEqualTo(a);
            assertThat(Files.readAllBytes(root.resolve("b"))).isEqualTo(b);
        }
    }

    /**
     * Frames are handed out in increasing address order, from new slabs and
     * after a truncation freed them, so a file written sequentially lies in
     * ascending memory (which the CPU streams; descending frames made copies
     * of uncached pages about a third slower), and a read of several pages
     * is counted page by page.
     */
    @Test
    void sequentialWritesLieInAscendingFrames() throws IOException {
        int pages = 300;
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            for (int round = 0; round < 3; round++) {
                byte[] data = Fx.random(30 + round, pages * PageCache.PAGE_SIZE);
                int fd = Fx.open(t, "seq", O_RDWR | O_CREAT | O_TRUNC);
                Fx.writeAll(t, fd, data, 16 << 10);
                CachedFile f = ((RegularFile) t.get(fd)).cached();
                int breaks = 0;
                for (long i = 1; i < pages; i++) {
                    if (!f.pages.get(i).frame.follows(f.pages.get(i - 1).frame)) breaks++;
                }
                // 300 pages take two slabs of 256 frames at most (the slabs need not be adjacent).
                assertThat(breaks).as("round %d: frames not following the previous page's", round).isLessThanOrEqualTo(2);
                long hits = cache.stats().hits();
                byte[] buf = new byte[16 * PageCache.PAGE_SIZE + 100];
                assertThat(t.lseek(fd, 50, OpenFile.SEEK_SET)).isEqualTo(50);
                assertThat(t.read(fd, seg(buf), 0, buf.length)).isEqualTo(buf.length);
                assertThat(buf).isEqualTo(java.util.Arrays.copyOfRange(data, 50, 50 + buf.length));
                assertThat(cache.stats().hits() - hits).as("one hit per page touched").isEqualTo(17);
                assertThat(t.close(fd)).isZero();
                assertThat(Files.readAllBytes(root.resolve("seq"))).isEqualTo(data);
            }
            assertThat(cache.stats().residentPages()).isEqualTo(pages);
        }
    }

    /**
     * Two files grown a page at a time in turn, so that their frames
     * interleave, then read and written in records of up to 40 KB at random
     * offsets (past the end too, leaving holes): every read agrees with a
     * model, and the host files do after the last close.
     */
    @Test
    void recordsOverScatteredFramesReadAndWriteRight() throws IOException {
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int[] fds = {Fx.open(t, "a", O_RDWR | O_CREAT), Fx.open(t, "b", O_RDWR | O_CREAT)};
            byte[][] model = {new byte[0], new byte[0]};
            Random rnd = new Random(40);
            for (int i = 0; i < 40; i++) {
                for (int k = 0; k < 2; k++) {
                    byte[] page = Fx.random(rnd.nextLong(), PageCache.PAGE_SIZE);
                    Fx.writeAll(t, fds[k], page, page.length);
                    model[k] = concat(model[k], page);
                }
            }
            for (int step = 0; step < 600; step++) {
                int k = rnd.nextInt(2), at = rnd.nextInt(model[k].length + 3 * PageCache.PAGE_SIZE), n = 1 + rnd.nextInt(40_000);
                assertThat(t.lseek(fds[k], at, OpenFile.SEEK_SET)).isEqualTo(at);
                if (rnd.nextBoolean()) {
                    byte[] patch = Fx.random(rnd.nextLong(), n);
                    assertThat(t.write(fds[k], seg(patch), 0, n)).isEqualTo(n);
                    if (at + n > model[k].length) model[k] = java.util.Arrays.copyOf(model[k], at + n);
                    System.arraycopy(patch, 0, model[k], at, n);
                } else {
                    byte[] buf = new byte[n];
                    int expect = Math.max(0, Math.min(n, model[k].length - at));
                    assertThat(t.read(fds[k], seg(buf), 0, n)).isEqualTo(expect);
                    assertThat(java.util.Arrays.copyOf(buf, expect))
                            .isEqualTo(java.util.Arrays.copyOfRange(model[k], Math.min(at, model[k].length), Math.min(at, model[k].length) + expect));
                }
            }
            assertThat(cache.stats().evictions()).isZero();
            assertThat(t.closeAll()).isZero();
            assertThat(Files.readAllBytes(root.resolve("a"))).isEqualTo(model[0]);
            assertThat(Files.readAllBytes(root.resolve("b"))).isEqualTo(model[1]);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void aHotPageSurvivesAStreamThroughATinyCache() throws IOException {
        Files.write(root.resolve("hot"), Fx.random(20, 100));
        Files.write(root.resolve("stream"), Fx.random(21, 100 * PageCache.PAGE_SIZE));
        try (PageCache cache = new PageCache(8 * PageCache.PAGE_SIZE)) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int hot = Fx.open(t, "hot", O_RDONLY), stream = Fx.open(t, "stream", O_RDONLY);
            byte[] buf = new byte[PageCache.PAGE_SIZE];
            for (int page = 0; page < 100; page++) {
                assertThat(t.read(stream, seg(buf), 0, buf.length)).isEqualTo(buf.length);
                if (page % 4 == 0) assertThat(t.lseek(hot, 0, OpenFile.SEEK_SET)).isZero();
                if (page % 4 == 0) assertThat(t.read(hot, seg(buf), 0, 100)).isEqualTo(100);
            }
            assertThat(cache.stats().misses()).as("the hot page was loaded once").isEqualTo(101);
            assertThat(cache.stats().evictions()).isEqualTo(101 - 8);
            t.closeAll();
        }
    }

    @Test
    void fsyncWritesBackAndCloseOfTheLastDescriptorToo() throws IOException {
        try (PageCache cache = new PageCache()) {
            Vfs vfs = new Vfs(root, cache);
            FdTable p1 = Fx.table(vfs), p2 = Fx.table(vfs);
            int f1 = Fx.open(p1, "shared", O_RDWR | O_CREAT), f2 = Fx.open(p2, "shared", O_RDONLY);
            Fx.writeAll(p1, f1, Fx.b("hello"), 5);
            assertThat(Files.size(root.resolve("shared"))).isZero();
            assertThat(Fx.readAll(p2, f2, 10)).as("another process sees cached data").isEqualTo(Fx.b("hello"));
            assertThat(p1.fsync(f1)).isZero();
            assertThat(Files.readString(root.resolve("shared"))).isEqualTo("hello");
            Fx.writeAll(p1, f1, Fx.b(" world"), 6);
            assertThat(p1.closeAll()).isZero();
            assertThat(Files.readString(root.resolve("shared"))).as("p2 still has it open").isEqualTo("hello");
            assertThat(p2.closeAll()).isZero();
            assertThat(Files.readString(root.resolve("shared"))).isEqualTo("hello world");
        }
    }

    @Test
    void closingTheCacheWithOpenFilesIsABrokenInvariant() throws IOException {
        Files.writeString(root.resolve("f"), "x");
        PageCache cache = new PageCache();
        FdTable t = Fx.table(new Vfs(root, cache));
        Fx.open(t, "f", O_RDONLY);
        assertThatThrownBy(cache::close).isInstanceOf(IllegalStateException.class);
        t.closeAll();
        cache.close();
        assertThatThrownBy(() -> new PageCache(100)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Several processes on several threads, each writing, rewriting and
     * re-reading its own file through one small shared cache (so they evict
     * each other's pages), while readers share one file.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentProcessesOnOneSmallCache() throws Exception {
        byte[] common = Fx.random(99, 200_000);
        Files.write(root.resolve("common"), common);
        try (PageCache cache = new PageCache(32 * PageCache.PAGE_SIZE)) {
            Vfs vfs = new Vfs(root, cache);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int id = w;
                jobs.add(pool.submit(() -> {
                    FdTable t = Fx.table(vfs);
                    Random rnd = new Random(id);
                    byte[] model = new byte[0];
                    int fd = Fx.open(t, "w" + id, O_RDWR | O_CREAT | O_TRUNC);
                    for (int round = 0; round < 300; round++) {
                        int at = rnd.nextInt(model.length + 5000), len = 1 + rnd.nextInt(9000);
                        byte[] patch = Fx.random(rnd.nextLong(), len);
                        if (at + len > model.length) model = java.util.Arrays.copyOf(model, at + len);
                        System.arraycopy(patch, 0, model, at, len);
                        assertThat(t.lseek(fd, at, OpenFile.SEEK_SET)).isEqualTo(at);
                        Fx.writeAll(t, fd, patch, 1 + rnd.nextInt(6000));
                        if (round % 50 == 49) {
                            assertThat(t.lseek(fd, 0, OpenFile.SEEK_SET)).isZero();
                            assertThat(Fx.readAll(t, fd, 4096)).isEqualTo(model);
                        }
                        if (round % 100 == 0) assertThat(t.fsync(fd)).isZero();
                    }
                    assertThat(t.closeAll()).isZero();
                    assertThat(Files.readAllBytes(root.resolve("w" + id))).isEqualTo(model);
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                jobs.add(pool.submit(() -> {
                    FdTable t = Fx.table(vfs);
                    for (int i = 0; i < 20; i++) {
                        int fd = Fx.open(t, "common", O_RDONLY);
                        assertThat(Fx.readAll(t, fd, 5000)).isEqualTo(common);
                        assertThat(t.close(fd)).isZero();
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) f.get(100, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(cache.stats().residentPages()).isLessThanOrEqualTo(32);
            assertThat(cache.stats().evictions()).isGreaterThan(100);
        }
    }

    /** Appends from several processes to one file through a 4-page cache: whole records, none lost. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentAppendersToOneFile() throws Exception {
        try (PageCache cache = new PageCache(4 * PageCache.PAGE_SIZE)) {
            Vfs vfs = new Vfs(root, cache);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int id = w;
                jobs.add(pool.submit(() -> {
                    FdTable t = Fx.table(vfs);
                    int fd = Fx.open(t, "log", O_WRONLY | O_CREAT | O_APPEND);
                    for (int i = 0; i < 2000; i++) {
                        byte[] rec = Fx.b("process " + id + " record " + i + " " + "x".repeat(i % 97) + "\n");
                        assertThat(t.write(fd, seg(rec), 0, rec.length)).isEqualTo(rec.length);
                    }
                    assertThat(t.closeAll()).isZero();
                    return null;
                }));
            }
            for (Future<?> f : jobs) f.get(100, TimeUnit.SECONDS);
            pool.shutdown();
            List<String> lines = Files.readAllLines(root.resolve("log"));
            List<String> expected = new ArrayList<>();
            for (int id = 0; id < 4; id++) {
                for (int i = 0; i < 2000; i++) expected.add("process " + id + " record " + i + " " + "x".repeat(i % 97));
            }
            assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
