package ring0.kernel.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * The host's {@code stat} of one object, read through the JDK's {@code unix}
 * attribute view without following a final symbolic link.
 */
record HostAttrs(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
                 Instant atime, Instant mtime, Instant ctime) {

    private static final String ATTRS =
            "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime";

    static HostAttrs read(Path p) throws IOException {
        Map<String, Object> m = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        return new HostAttrs((Long) m.get("dev"), (Long) m.get("ino"), (Integer) m.get("mode"),
                ((Number) m.get("nlink")).longValue(), (Integer) m.get("uid"), (Integer) m.get("gid"),
                (Long) m.get("rdev"), (Long) m.get("size"),
                instant(m.get("lastAccessTime")), instant(m.get("lastModifiedTime")), instant(m.get("ctime")));
    }

    private static Instant instant(Object o) { return ((FileTime) o).toInstant(); }

    /** The identity of the host file: its device and inode. */
    FileKey key() { return new FileKey(dev, ino); }

    /**
     * The {@code struct stat} for this object. {@code size} replaces the host
     * size (cached data not yet written back counts), and a cached write more
     * recent than the host's times moves {@code mtime}/{@code ctime} forward.
     */
    Stat toStat(long size, Instant lastCachedWrite, long nlinkOverride) {
        Instant m = later(mtime, lastCachedWrite), c = later(ctime, lastCachedWrite);
        long blocks = (size + PageCache.PAGE_SIZE - 1) / PageCache.PAGE_SIZE * (PageCache.PAGE_SIZE / 512);
        return new Stat(dev, ino, nlinkOverride >= 0 ? nlinkOverride : nlink, mode, uid, gid, rdev, size,
                PageCache.PAGE_SIZE, blocks,
                atime.getEpochSecond(), atime.getNano(), m.getEpochSecond(), m.getNano(),
                c.getEpochSecond(), c.getNano());
    }

    private static Instant later(Instant a, Instant b) { return b != null && b.isAfter(a) ? b : a; }

    /** Identity of a host file: device and inode number. */
    record FileKey(long dev, long ino) {}
}
