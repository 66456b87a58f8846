package ring0.kernel.fs;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cache's view of one host file (one inode), shared by every descriptor
 * that has it open, in every process of the kernel.
 *
 * <p>Locking: {@link #lock} guards everything here except {@link #refs}, which
 * the cache lock guards. Lock order: a file's lock before the cache lock; a
 * thread that holds the cache lock takes a file lock only with
 * {@code tryLock} (eviction), so the two orders never wait on each other.
 */
final class CachedFile {
    final PageCache cache;
    final HostAttrs.FileKey key;
    final ReentrantLock lock = new ReentrantLock();

    /** Cached pages by index. */
    final HashMap<Long, Page> pages = new HashMap<>();
    /** The file's size as programs see it (cached writes included). */
    long size;
    /** How many bytes the host file is known to hold; {@code size >= hostSize}. */
    long hostSize;
    /** The host file, open while at least one descriptor is; {@code null} otherwise. */
    FileChannel channel;
    /** Whether {@link #channel} was opened for writing. */
    boolean writable;
    /** The path the file was last opened by, for {@code fstat}. */
    Path path;
    /** Host attributes at the last open or last close, to notice changes made by others between opens. */
    HostAttrs snapshot;
    /** When a program last wrote into the cache, or {@code null}. */
    Instant lastWrite;
    /** An errno from a write-back that nobody could be told about yet (eviction); 0 if none. */
    int pendingError;

    /** Open descriptors. Guarded by the cache lock. */
    int refs;

    CachedFile(PageCache cache, HostAttrs.FileKey key) {
        this.cache = cache;
        this.key = key;
    }

    /**
     * Copies up to {@code count} bytes at file offset {@code pos} to
     * {@code dst[off..]}; returns the number copied (0 at or after the end).
     * Caller holds {@link #lock} and has checked the range of {@code dst}.
     */
    long read(long pos, MemorySegment dst, long off, long count) throws FsError {
        if (pos >= size) return 0;
        long n = Math.min(count, size - pos), done = 0;
        try {
            while (done < n) {
                long p = pos + done;
                int inPage = (int) (p % PageCache.PAGE_SIZE);
                int chunk = (int) Math.min(PageCache.PAGE_SIZE - inPage, n - done);
                Page page = cache.page(this, p / PageCache.PAGE_SIZE, true);
                MemorySegment.copy(page.frame, inPage, dst, off + done, chunk);
                done += chunk;
            }
        } catch (FsError e) {
            if (done == 0) throw e;
        }
        return done;
    }

    /**
     * Copies {@code count} bytes from {@code src[off..]} into the cache at file
     * offset {@code pos}, extending the size; returns the number copied.
     * Caller holds {@link #lock}, has checked the range of {@code src}, and
     * that {@code pos + count} does not pass the largest file size.
     */
    long write(long pos, MemorySegment src, long off, long count) throws FsError {
        long done = 0;
        try {
            while (done < count) {
                long p = pos + done;
                int inPage = (int) (p % PageCache.PAGE_SIZE);
                int chunk = (int) Math.min(PageCache.PAGE_SIZE - inPage, count - done);
                Page page = cache.page(this, p / PageCache.PAGE_SIZE, chunk < PageCache.PAGE_SIZE);
                MemorySegment.copy(src, off + done, page.frame, inPage, chunk);
                page.dirty = true;
                done += chunk;
                size = Math.max(size, p + chunk);
            }
        } catch (FsError e) {
            if (done == 0) throw e;
        }
        if (done > 0) lastWrite = Instant.now();
        return done;
    }

    /** Writes one dirty page to the host. Caller holds {@link #lock}. */
    void writePage(Page page) throws IOException {
        long start = page.start();
        int len = (int) Math.min(PageCache.PAGE_SIZE, size - start);
        if (len > 0) {
            if (channel == null || !writable) throw new IOException("Input/output error: no writable channel");
            var buf = page.frame.asSlice(0, len).asByteBuffer();
            long at = start;
            while (buf.hasRemaining()) at += channel.write(buf, at);
            hostSize = Math.max(hostSize, start + len);
        }
        page.dirty = false;
        cache.countWriteback();
    }

    /**
     * Writes every dirty page to the host, in file order. Caller holds
     * {@link #lock}. Throws the errno of the first failure, or one a past
     * eviction could not report.
     */
    void writeBack() throws FsError {
        List<Page> dirty = new ArrayList<>();
        for (Page p : pages.values()) if (p.dirty) dirty.add(p);
        dirty.sort(Comparator.comparingLong(p -> p.index));
        for (Page p : dirty) {
            try {
                writePage(p);
            } catch (IOException e) {
                throw HostErrors.error(e);
            }
        }
        takePendingError();
    }

    /** Throws, once, the errno of a write-back nobody has been told about. Caller holds {@link #lock}. */
    void takePendingError() throws FsError {
        int err = pendingError;
        pendingError = 0;
        if (err != 0) throw new FsError(err);
    }
}
