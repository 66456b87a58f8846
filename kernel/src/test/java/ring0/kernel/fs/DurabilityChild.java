package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The kernel side of {@link DurabilityTest}, run in a child JVM: writes
 * through an {@link FdTable}, fsyncs, says {@code synced}, writes more without
 * fsync, says {@code unsynced}, then waits to be killed.
 *
 * <p>Arguments: root directory, file name, number of synced bytes.
 */
public final class DurabilityChild {
    private DurabilityChild() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String name = args[1];
        int n = Integer.parseInt(args[2]);
        PageCache cache = new PageCache();
        FdTable t = new FdTable(new Vfs(root, cache), StdStreams.system());
        long fd = t.open(name.getBytes(StandardCharsets.UTF_8), OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644);
        if (fd < 0) fail("open " + Errno.name((int) -fd));
        byte[] data = DurabilityTest.content(n);
        for (int at = 0; at < n; at += 10_000) {
            int len = Math.min(10_000, n - at);
            if (t.write(fd, MemorySegment.ofArray(data), at, len) != len) fail("write");
        }
        long r = t.fsync(fd);
        if (r != 0) fail("fsync " + Errno.name((int) -r));
        System.out.println("synced");
        byte[] more = "NOT-SYNCED".getBytes(StandardCharsets.UTF_8);
        if (t.write(fd, MemorySegment.ofArray(more), 0, more.length) != more.length) fail("write 2");
        System.out.println("unsynced");
        System.out.flush();
        Thread.sleep(120_000); // the test kills us long before this ends
        fail("not killed");
    }

    private static void fail(String why) {
        System.out.println("child failed: " + why);
        System.exit(3);
    }
}
