package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static ring0.kernel.fs.Fx.b;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host accomplice against the open path: a thread that keeps swapping a
 * directory inside the root for a symbolic link to a twin directory outside
 * it, while the kernel opens, reads and creates files under that name. With
 * {@code openat2} no open may ever reach the twin (checked by inode and by
 * content) and nothing outside may change. And objects the kernel never
 * opens (a fifo) stay unopened.
 */
class OpenRaceTest {
    @TempDir Path base;

    @Test
    void swappingADirectoryForALinkOutsideNeverLeadsOutside() throws Exception {
        Path root = Files.createDirectories(base.resolve("root"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Path sub = Files.createDirectories(root.resolve("a/sub"));
        Files.writeString(sub.resolve("secret.txt"), "inside");
        Path twin = Files.createDirectories(outside.resolve("sub"));
        Path twinSecret = Files.writeString(twin.resolve("secret.txt"), "OUTSIDE");
        Files.createSymbolicLink(root.resolve("l"), Path.of("a")); // paths through it take the walk
        long twinIno = inode(twinSecret);

        try (PageCache cache = new PageCache(1 << 20)) {
            Vfs vfs = new Vfs(root, cache);
            assumeThat(vfs.usesOpenat2()).as("openat2 on this host").isTrue();
            FdTable fds = Fx.table(vfs);
            List<FdTable> tables = new ArrayList<>(List.of(fds));
            Map<String, String> before = Fx.snapshot(base, root);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger swaps = new AtomicInteger();
            AtomicReference<Throwable> accomplice = new AtomicReference<>();
            Thread t = new Thread(() -> {
                Path aside = root.resolve("a/sub.real");
                Path[] targets = {twin, Path.of("../../outside/sub")};
                try {
                    for (int i = 0; !stop.get(); i++) {
                        Files.move(sub, aside, StandardCopyOption.ATOMIC_MOVE);
                        Files.createSymbolicLink(sub, targets[i & 1]);
                        Thread.onSpinWait();
                        Files.delete(sub);
                        Files.move(aside, sub, StandardCopyOption.ATOMIC_MOVE);
                        swaps.incrementAndGet();
                    }
                } catch (Throwable e) {
                    accomplice.set(e);
                }
            }, "accomplice");
            t.start();

            String[] paths = {"a/sub/secret.txt", "/a/../a/./sub/secret.txt", "l/sub/secret.txt", "../a/sub/secret.txt"};
            int[] flags = {OpenFlags.O_RDONLY, OpenFlags.O_RDWR, OpenFlags.O_RDONLY | OpenFlags.O_CREAT};
            int opened = 0, created = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            try {
                for (int i = 0; System.nanoTime() < end || opened < 50; i++) {
                    if (i % 24 == 23) {
                        // A new file system forgets its hints: plain paths are tried by the host again.
                        fds = Fx.table(new Vfs(root, cache));
                        tables.add(fds);
                    }
                    String path = paths[i % paths.length];
                    long fd = fds.open(b(path), flags[(i / paths.length) % flags.length], 0644);
                    if (fd >= 0) {
                        Stat st = Fx.fstat(fds, (int) fd);
                        assertThat(st.ino()).as("%s opened the file outside", path).isNotEqualTo(twinIno);
                        assertThat(new String(Fx.readAll(fds, (int) fd, 64))).as(path).isEqualTo("inside");
                        assertThat(fds.close(fd)).isZero();
                        opened++;
                    }
                    long c = fds.open(b(i % 2 == 0 ? "a/sub/made.txt" : "l/sub/made.txt"),
                            OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0644);
                    if (c >= 0) {
                        assertThat(fds.close(c)).isZero();
                        created++;
                    }
                    assertThat(twin.resolve("made.txt")).doesNotExist();
                }
            } finally {
                stop.set(true);
                t.join();
            }
            assertThat(accomplice.get()).isNull();
            assertThat(swaps.get()).as("the accomplice swapped").isPositive();
            assertThat(opened).isPositive();
            assertThat(created).isPositive();
            for (FdTable x : tables) x.closeAll();
            assertThat(Fx.snapshot(base, root)).as("the tree outside the root").isEqualTo(before);
        }
    }

    /**
     * A fifo inside the root is refused with {@code EACCES} and never opened
     * (a host writer blocked in its {@code open} stays blocked), whatever the
     * flags and whether the path is plain or goes through a link.
     */
    @ParameterizedTest(name = "openat2 {0}")
    @ValueSource(booleans = {true, false})
    void aFifoIsNeverOpened(boolean openat2) throws Exception {
        Path root = Files.createDirectories(base.resolve("root"));
        Path fifo = root.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assumeThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).as("mkfifo").isTrue();
        Files.createSymbolicLink(root.resolve("tofifo"), Path.of("fifo"));

        AtomicBoolean writerIn = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) { // blocks until a reader opens
                writerIn.set(true);
            } catch (IOException ignored) {
                // the reader went away: nothing to check
            }
        }, "fifo-writer");
        writer.start();
        try (PageCache cache = new PageCache(1 << 20)) {
            Vfs vfs = new Vfs(root, cache, openat2);
            FdTable fds = Fx.table(vfs);
            for (String path : new String[] {"fifo", "/fifo", "tofifo"}) {
                for (int flags : new int[] {OpenFlags.O_RDONLY, OpenFlags.O_RDWR, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK,
                        OpenFlags.O_WRONLY | OpenFlags.O_CREAT, OpenFlags.O_RDWR | OpenFlags.O_TRUNC}) {
                    assertThat(fds.open(b(path), flags, 0644)).as("%s flags %o", path, flags).isEqualTo(-Errno.EACCES);
                }
            }
            Thread.sleep(100);
            assertThat(writerIn.get()).as("the host writer is still waiting for a reader").isFalse();
            assertThat(writer.isAlive()).isTrue();
        } finally {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                writer.join(10_000);
            }
        }
        assertThat(writerIn.get()).isTrue();
    }

    /**
     * What a plain path named at its last open is only a hint: whatever the
     * host puts there since, the answer is what is there now, by the usual
     * rules.
     */
    @Test
    void staleHintsNeverDecide() throws Exception {
        Path root = Files.createDirectories(base.resolve("root"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("sentinel.txt"), "OUTSIDE");
        Path f = Files.writeString(root.resolve("f"), "file");
        try (PageCache cache = new PageCache(1 << 20)) {
            Vfs vfs = new Vfs(root, cache);
            FdTable fds = Fx.table(vfs);
            for (int i = 0; i < 2; i++) assertThat(fds.close(Fx.open(fds, "f", OpenFlags.O_RDONLY))).isZero();

            Files.delete(f);
            Files.createDirectory(f);
            int d = Fx.open(fds, "f", OpenFlags.O_RDONLY);
            assertThat(Fx.fstat(fds, d).type()).isEqualTo(Stat.S_IFDIR);
            assertThat(fds.close(d)).isZero();
            assertThat(fds.open(b("/f"), OpenFlags.O_RDWR, 0)).isEqualTo(-Errno.EISDIR);

            Files.delete(f);
            Files.createSymbolicLink(f, Path.of("../outside/sentinel.txt"));
            assertThat(fds.open(b("f"), OpenFlags.O_RDONLY, 0)).isEqualTo(-Errno.EACCES);
            Files.delete(f);
            Files.createSymbolicLink(f, outside.resolve("sentinel.txt"));
            assertThat(fds.open(b("f"), OpenFlags.O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
            Files.delete(f);
            assertThat(fds.open(b("f"), OpenFlags.O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);

            Files.writeString(f, "again");
            int g = Fx.open(fds, "f", OpenFlags.O_RDONLY);
            assertThat(new String(Fx.readAll(fds, g, 64))).isEqualTo("again");
            assertThat(fds.close(g)).isZero();
            Files.delete(f);
            Process mk = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
            if (mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0) {
                assertThat(fds.open(b("f"), OpenFlags.O_RDONLY, 0)).isEqualTo(-Errno.EACCES);
                assertThat(fds.open(b("f"), OpenFlags.O_RDONLY, 0)).isEqualTo(-Errno.EACCES);
            }
            fds.closeAll();
        }
        assertThat(Files.readString(outside.resolve("sentinel.txt"))).isEqualTo("OUTSIDE");
    }

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }
}
