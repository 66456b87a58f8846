package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
    final FileKey key;
    final ReentrantLock lock = new ReentrantLock();

    /** Cached pages by index. */
    final PageTable pages = new PageTable();
    /** The file's size as programs see it (cached writes included). */
    long size;
    /** How many bytes the host file is known to hold; {@code size >= hostSize}. */
    long hostSize;
    /** The host file, open while at least one descriptor is; {@code null} otherwise. */
    HostFile host;
    /** Whether {@link #host} was opened for writing. */
    boolean writable;
    /** The path the file was last opened by (for messages). */
    Path path;
    /**
     * The host's attributes of this inode, from {@code fstat} of the
     * descriptor at the last open, or at the last close if the kernel changed
     * the host file since: {@code fstat} answers from them, and the next open
     * compares them with the host's to notice changes made by others between
     * opens. {@code null} if unknown (the next open drops the cached pages).
     */
    Stat snapshot;
    /** The kernel changed the host file (write-back, truncation) since {@link #snapshot} was taken. */
    boolean hostChanged;
    /** Whether a program wrote into the cache (or truncated the file) since the last open found the file changed. */
    boolean written;
    /**
     * When it last did, as {@link System#nanoTime}: cheaper on every write
     * than reading the wall clock, and turned into wall-clock time only when
     * {@link #stat} needs it.
     */
    long lastWriteNanos;
    /** {@code fstat}'s answer while nothing changes: dropped by every write, truncation and open. */
    Stat stat;
    /** How many of {@link #pages} are dirty. */
    int dirtyPages;
    /** An errno from a write-back that nobody could be told about yet (eviction); 0 if none. */
    int pendingError;

    /** Open descriptors. Guarded by the cache lock. */
    int refs;

    CachedFile(PageCache cache, FileKey key) {
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
        int hits = 0;
        try {
            while (done < n) {
                long p = pos + done;
                int inPage = (int) (p % PageCache.PAGE_SIZE);
                Page first = pages.get(p / PageCache.PAGE_SIZE);
                if (first == null) {
                    first = cache.load(this, p / PageCache.PAGE_SIZE, true);
                } else {
                    hits++;
                    if (!first.referenced) first.referenced = true;
                }
                long len = Math.min(PageCache.PAGE_SIZE - inPage, n - done);
                // Cached pages whose frames follow in the same slab go in the same copy.
                for (Page last = first; done + len < n; ) {
                    Page next = pages.get(last.index + 1);
                    if (next == null || !next.frame.follows(last.frame)) break;
                    hits++;
                    if (!next.referenced) next.referenced = true;
                    len += Math.min(PageCache.PAGE_SIZE, n - done - len);
                    last = next;
                }
                MemorySegment.copy(first.frame.slab(), first.frame.offset() + inPage, dst, off + done, len);
                done += len;
            }
        } catch (FsError e) {
            if (done == 0) throw e;
        } finally {
            cache.countHits(hits);
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
        int hits = 0;
        try {
            while (done < count) {
                long p = pos + done;
                int inPage = (int) (p % PageCache.PAGE_SIZE);
                long len = Math.min(PageCache.PAGE_SIZE - inPage, count - done);
                Page first = pages.get(p / PageCache.PAGE_SIZE);
                if (first == null) {
                    first = cache.load(this, p / PageCache.PAGE_SIZE, len < PageCache.PAGE_SIZE);
                } else {
                    hits++;
                    if (!first.referenced) first.referenced = true;
                }
                markDirty(first);
                // Cached pages whose frames follow in the same slab go in the same copy.
                for (Page last = first; done + len < count; ) {
                    Page next = pages.get(last.index + 1);
                    if (next == null || !next.frame.follows(last.frame)) break;
                    hits++;
                    if (!next.referenced) next.referenced = true;
                    markDirty(next);
                    len += Math.min(PageCache.PAGE_SIZE, count - done - len);
                    last = next;
                }
                MemorySegment.copy(src, off + done, first.frame.slab(), first.frame.offset() + inPage, len);
                done += len;
                size = Math.max(size, p + len);
            }
        } catch (FsError e) {
            if (done == 0) throw e;
        } finally {
            cache.countHits(hits);
        }
        if (done > 0) touched();
        return done;
    }

    /** Notes a change of the contents at this moment (the next {@link #stat} shows it as mtime and ctime). */
    void touched() {
        written = true;
        lastWriteNanos = System.nanoTime();
        stat = null;
    }

    private void markDirty(Page page) {
        if (!page.dirty) {
            page.dirty = true;
            dirtyPages++;
        }
    }

    /**
     * The file's {@code struct stat}: the host's attributes of the inode as
     * of the last open ({@link #snapshot}), with the size the cache knows
     * (unflushed writes included) and, if a program wrote since, that write's
     * time as {@code mtime} and {@code ctime}. Kept until the next change, so
     * repeated calls cost a field read. Caller holds {@link #lock}.
     */
    Stat stat() {
        Stat s = stat;
        if (s != null) return s;
        Stat h = snapshot;
        if (h == null) {
            // Only after the last close (a late fstat racing with close): the type and the size are all we know.
            return new Stat(key.dev(), key.ino(), 0, Stat.S_IFREG, 0, 0, 0, size, PageCache.PAGE_SIZE, 0, 0, 0, 0, 0, 0, 0);
        }
        long mSec = h.mtimeSec(), mNsec = h.mtimeNsec(), cSec = h.ctimeSec(), cNsec = h.ctimeNsec();
        if (written) {
            Instant lastWrite = Instant.now().minusNanos(System.nanoTime() - lastWriteNanos);
            long wSec = lastWrite.getEpochSecond(), wNsec = lastWrite.getNano();
            if (wSec > mSec || (wSec == mSec && wNsec > mNsec)) {
                mSec = wSec;
                mNsec = wNsec;
            }
            if (wSec > cSec || (wSec == cSec && wNsec > cNsec)) {
                cSec = wSec;
                cNsec = wNsec;
            }
        }
        // The host's block count while its size is ours; else whole pages for what the cache holds.
        long blocks = size == h.size() ? h.blocks()
                : (size + PageCache.PAGE_SIZE - 1) / PageCache.PAGE_SIZE * (PageCache.PAGE_SIZE / 512);
        s = new Stat(h.dev(), h.ino(), h.nlink(), h.mode(), h.uid(), h.gid(), h.rdev(), size, h.blksize(), blocks,
                h.atimeSec(), h.atimeNsec(), mSec, mNsec, cSec, cNsec);
        stat = s;
        return s;
    }

    /**
     * Writes the run of consecutive dirty pages around {@code page} (at most
     * {@link HostFile#IOV_MAX}) to the host in one gathering write; used by
     * eviction. Caller holds {@link #lock}; {@code page} is dirty.
     */
    void writeAround(Page page) throws FsError {
        long first = page.index, last = page.index;
        while (page.index - first < HostFile.IOV_MAX / 2 && isDirty(first - 1)) first--;
        while (last - first + 1 < HostFile.IOV_MAX && isDirty(last + 1)) last++;
        List<Page> run = new ArrayList<>((int) (last - first + 1));
        for (long i = first; i <= last; i++) run.add(pages.get(i));
        writeRun(run);
    }

    private boolean isDirty(long index) {
        Page p = index >= 0 ? pages.get(index) : null;
        return p != null && p.dirty;
    }

    /**
     * Writes every dirty page to the host, in file order, each run of
     * consecutive pages in one gathering write ({@code pwritev}). Caller
     * holds {@link #lock}. Throws the errno of the first failure, or one a
     * past eviction could not report.
     */
    void writeBack() throws FsError {
        if (dirtyPages > 0) {
            List<Page> dirty = new ArrayList<>(dirtyPages);
            pages.forEachInOrder(p -> {
                if (p.dirty) dirty.add(p);
            });
            int from = 0;
            for (int i = 1; i <= dirty.size(); i++) {
                if (i == dirty.size() || dirty.get(i).index != dirty.get(i - 1).index + 1 || i - from == HostFile.IOV_MAX) {
                    writeRun(dirty.subList(from, i));
                    from = i;
                }
            }
        }
        takePendingError();
    }

    /**
     * Writes {@code run}, dirty pages of consecutive indexes, with one
     * {@code pwritev} (the last page only up to the file's size; frames that
     * follow each other in memory as one buffer); they are clean afterwards.
     * Caller holds {@link #lock}.
     */
    private void writeRun(List<Page> run) throws FsError {
        long start = run.getFirst().start();
        List<MemorySegment> parts = new ArrayList<>();
        long end = start;
        int count = 0;
        PageCache.Frame partStart = null, previous = null;
        long partLength = 0;
        for (Page p : run) {
            int len = (int) Math.max(0, Math.min(PageCache.PAGE_SIZE, size - p.start()));
            if (len == 0) break;
            if (previous != null && p.frame.follows(previous)) {
                partLength += len;
            } else {
                if (partStart != null) parts.add(partStart.segment(partLength));
                partStart = p.frame;
                partLength = len;
            }
            previous = p.frame;
            end = p.start() + len;
            count++;
        }
        if (partStart != null) parts.add(partStart.segment(partLength));
        if (count > 0) {
            if (host == null || !writable) throw new FsError(Errno.EIO);
            hostChanged = true;
            host.writeFully(parts, start);
            hostSize = Math.max(hostSize, end);
            cache.countWriteback(count);
        }
        for (Page p : run) {
            if (p.dirty) {
                p.dirty = false;
                dirtyPages--;
            }
        }
    }

    /** Forgets every page's dirtiness count (the caller dropped all pages). Caller holds {@link #lock}. */
    void pagesDropped() {
        dirtyPages = 0;
    }

    /** Throws, once, the errno of a write-back nobody has been told about. Caller holds {@link #lock}. */
    void takePendingError() throws FsError {
        int err = pendingError;
        pendingError = 0;
        if (err != 0) throw new FsError(err);
    }
}
