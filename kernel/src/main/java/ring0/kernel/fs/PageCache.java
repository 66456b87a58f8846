package ring0.kernel.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernel's page cache for regular files, shared by all processes of one
 * kernel (TRUSTED).
 *
 * <p>Host files are cached in 4 KiB pages of native memory, keyed by the
 * file's identity (device and inode, so hard links share pages) and the page
 * index. Frames are allocated lazily, 1 MiB at a time, up to the capacity;
 * then a page is evicted, after being written to the host if it is dirty.
 * Free frames are handed out in increasing address order, so a file written
 * sequentially lies in ascending memory: a read or write of a record copies
 * the pages whose frames follow each other in one piece, and the CPU streams
 * uncached pages as it streams any ascending array.
 * Eviction approximates LRU with a second chance (CLOCK), as Linux's own page
 * cache approximates it with referenced bits: pages sit in a list in order of
 * loading; a hit only sets the page's referenced flag (no shared lock on the
 * read path: exact LRU, relinking the page under the cache lock on every hit,
 * made cache-hit reads about a third slower); eviction takes the oldest page
 * not referenced since the scan last passed it, moving referenced ones to the
 * recent end with the flag cleared. Writes go to the cache only (write-back) and extend the
 * file's cached size; reads that hit the cache never touch the host. Dirty
 * pages reach the host on {@code fsync}, on the close of a file's last
 * descriptor (in any process; also at process exit, which closes every
 * descriptor), and on eviction; each run of consecutive dirty pages goes in
 * one gathering write (eviction writes the run around its victim). Clean pages stay cached after the last close;
 * the next open keeps them only if the host file's size, mtime and ctime are
 * as the kernel left them.
 *
 * <p>Locking, in this order: a file's lock ({@code CachedFile.lock}), then the
 * cache lock ({@link #lock}: LRU list, free frames, the file registry and
 * reference counts). While holding the cache lock a thread takes a file lock
 * only with {@code tryLock}, so eviction never waits for a file while holding
 * the cache lock. Host I/O happens under file locks only, never under the
 * cache lock.
 */
public final class PageCache implements AutoCloseable {
    /** Size of a page in bytes. */
    public static final int PAGE_SIZE = 4096;
    /** The default capacity: 256 MiB. */
    public static final long DEFAULT_CAPACITY = 256L << 20;
    private static final int SLAB_PAGES = 256;

    /**
     * Counters and occupancy, for tests and the kernel's statistics.
     *
     * @param writebacks pages written back to the host
     * @param hostWrites host write calls that wrote them (one per run of consecutive dirty pages, at most
     *                   {@link HostFile#IOV_MAX} pages each)
     */
    public record Stats(long hits, long misses, long evictions, long writebacks, long hostWrites,
                        long residentPages, long capacityPages) {}

    /**
     * A frame: the {@link #PAGE_SIZE} bytes at {@code offset} in {@code slab},
     * one of the cache's blocks of native memory. Copies address the slab,
     * so that frames that follow each other in it are copied in one piece.
     */
    record Frame(MemorySegment slab, long offset) {
        /** The frame's first {@code length} bytes as a segment of their own. */
        MemorySegment segment(long length) { return slab.asSlice(offset, length); }

        /** The frame's address. */
        long address() { return slab.address() + offset; }

        /** Whether this frame comes right after {@code previous} in the same slab. */
        boolean follows(Frame previous) { return slab == previous.slab && offset == previous.offset + PAGE_SIZE; }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Arena arena = Arena.ofShared();
    /** Sentinel of the page list: {@code lru.next} is the oldest page, {@code lru.prev} the newest. */
    private final Page lru = new Page(null, -1, null);
    private final ArrayDeque<Frame> free = new ArrayDeque<>();
    private final Map<FileKey, CachedFile> files = new HashMap<>();
    private long maxFrames;
    private long allocatedFrames;
    private boolean closed;

    private final LongAdder hits = new LongAdder(), misses = new LongAdder(),
            evictions = new LongAdder(), writebacks = new LongAdder(), hostWrites = new LongAdder();

    /** A cache of {@link #DEFAULT_CAPACITY} bytes. */
    public PageCache() { this(DEFAULT_CAPACITY); }

    /**
     * A cache of at most {@code capacityBytes} (rounded down to whole pages,
     * at least one page). No memory is taken until pages are needed.
     */
    public PageCache(long capacityBytes) {
        if (capacityBytes < PAGE_SIZE) throw new IllegalArgumentException("page cache capacity below one page: " + capacityBytes);
        maxFrames = capacityBytes / PAGE_SIZE;
        lru.prev = lru.next = lru;
    }

    /** Capacity in bytes. Locking: none (fixed at construction). */
    public long capacity() { return maxFrames * PAGE_SIZE; }

    /** A snapshot of the counters. Locking: takes the cache lock briefly. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(hits.sum(), misses.sum(), evictions.sum(), writebacks.sum(), hostWrites.sum(),
                    allocatedFrames - free.size(), maxFrames);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the cache's native memory. Every descriptor of every process
     * must be closed first (their last close wrote the dirty pages back); a
     * file still open is a broken kernel invariant and throws
     * {@link IllegalStateException}. Locking: takes the cache lock.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            for (CachedFile f : files.values()) {
                if (f.refs > 0) throw new IllegalStateException("page cache closed while " + f.path + " is open");
            }
            closed = true;
            files.clear();
            free.clear();
            lru.prev = lru.next = lru;
        } finally {
            lock.unlock();
        }
        arena.close();
    }

    // ---- descriptors -------------------------------------------------------------------------

    /**
     * Registers a new descriptor of the host file at {@code path}, whose
     * host descriptor {@code ch} was just opened (for reading, and writing if
     * {@code writable}) and whose attributes ({@code fstat} of {@code ch}) are
     * {@code attrs}. The cache keeps {@code ch} if it needs it and closes it
     * otherwise. With {@code truncate}
     * the file is emptied, in the cache and on the host. Every successful call
     * must be paired with one {@link #release}.
     * Locking: takes the cache lock, then the file's lock; no lock held on return.
     */
    CachedFile open(Path path, HostFile ch, boolean writable, Stat attrs, boolean truncate) throws FsError {
        CachedFile f;
        lock.lock();
        try {
            if (closed) {
                ch.closeQuietly();
                throw new FsError(Errno.EIO);
            }
            f = files.computeIfAbsent(FileKey.of(attrs), k -> new CachedFile(this, k));
            f.refs++;
        } finally {
            lock.unlock();
        }
        HostFile unused = ch;
        FsError failure = null;
        f.lock.lock();
        try {
            if (f.host == null) {
                if (!sameHostContent(f.snapshot, attrs)) {
                    dropPages(f);
                    f.size = f.hostSize = attrs.size();
                    f.written = false;
                }
                f.host = ch;
                f.writable = writable;
                unused = null;
            } else if (writable && !f.writable) {
                unused = f.host;
                f.host = ch;
                f.writable = true;
            }
            f.path = path;
            f.snapshot = attrs;
            f.hostChanged = false;
            f.stat = null;
            if (truncate) {
                dropPages(f);
                f.hostChanged = true;
                f.host.truncate(0);
                f.size = f.hostSize = 0;
                f.touched();
            }
        } catch (FsError e) {
            failure = e;
        } finally {
            f.lock.unlock();
        }
        if (unused != null) unused.closeQuietly();
        if (failure != null) {
            release(f);
            throw failure;
        }
        return f;
    }

    /**
     * Drops one descriptor of {@code f}. At the last one the dirty pages are
     * written back and the host file is closed; clean pages stay cached.
     * Returns 0 or the errno of a failed write-back (the data that failed is
     * dropped, as Linux drops pages whose write-back failed).
     * Locking: takes the file's lock, then the cache lock.
     */
    int release(CachedFile f) {
        f.lock.lock();
        try {
            boolean last;
            lock.lock();
            try {
                if (f.refs <= 0) throw new IllegalStateException("page cache: release of " + f.path + " without open");
                last = --f.refs == 0;
            } finally {
                lock.unlock();
            }
            if (!last) return 0;
            int err = 0;
            try {
                f.writeBack();
            } catch (FsError e) {
                err = e.errno;
                dropPages(f);
            }
            if (f.hostChanged) {
                // What the kernel left on the host, for the next open's comparison.
                try {
                    Stat now = f.host.stat();
                    f.snapshot = FileKey.of(now).equals(f.key) ? now : null;
                } catch (FsError e) {
                    f.snapshot = null;
                }
                f.hostChanged = false;
                f.stat = null;
            }
            try {
                f.host.close();
            } catch (FsError e) {
                if (err == 0) err = e.errno;
            }
            f.host = null;
            f.writable = false;
            forgetIfUnused(f);
            return err;
        } finally {
            f.lock.unlock();
        }
    }

    /**
     * Writes {@code f}'s dirty pages back and forces the host file to stable
     * storage ({@code fsync(2)} of the host descriptor). Returns 0 or an errno.
     * Locking: takes the file's lock for the whole operation.
     */
    int fsync(CachedFile f) {
        f.lock.lock();
        try {
            f.writeBack();
            f.host.force();
            return 0;
        } catch (FsError e) {
            return e.errno;
        } finally {
            f.lock.unlock();
        }
    }

    // ---- pages -------------------------------------------------------------------------------

    /**
     * Loads page {@code index} of {@code f}, which is not cached: from the
     * host with {@code fill}; a caller that overwrites the whole page passes
     * {@code false} and gets a frame with stale contents. Counts a miss.
     * Locking: caller holds {@code f.lock}; takes the cache lock briefly, and
     * may evict (see {@link #takeFrame}).
     */
    Page load(CachedFile f, long index, boolean fill) throws FsError {
        misses.increment();
        Frame frame = takeFrame();
        try {
            if (fill) fill(f, index, frame);
        } catch (FsError e) {
            lock.lock();
            try {
                free.push(frame);
            } finally {
                lock.unlock();
            }
            throw e;
        }
        Page p = new Page(f, index, frame);
        f.pages.put(p);
        lock.lock();
        try {
            linkMostRecent(p);
        } finally {
            lock.unlock();
        }
        return p;
    }

    /** Counts {@code n} pages found cached (the caller marked them referenced). */
    void countHits(long n) {
        hits.add(n);
    }

    /** Counts {@code pages} pages written back by one host write. */
    void countWriteback(int pages) {
        writebacks.add(pages);
        hostWrites.increment();
    }

    /** Loads page {@code index} of {@code f} from the host; bytes the host lacks read as zero. Caller holds {@code f.lock}. */
    private static void fill(CachedFile f, long index, Frame frame) throws FsError {
        long start = index * PAGE_SIZE;
        long want = Math.min(PAGE_SIZE, f.hostSize - start);
        MemorySegment page = frame.segment(PAGE_SIZE);
        if (want <= 0) {
            page.fill((byte) 0);
            return;
        }
        if (f.host == null) throw new IllegalStateException("page cache: miss on closed file " + f.path);
        long got = f.host.readFully(page.asSlice(0, want), start);
        page.asSlice(got).fill((byte) 0);
    }

    /**
     * A free frame: from the free list, from a new slab while under capacity,
     * or by evicting (second chance, see the class) a page whose file lock can
     * be taken without waiting (a dirty victim is written back first; if that
     * fails the error is kept for the file's next {@code fsync} or last close).
     * Locking: caller holds the lock of the file it works on (its own pages
     * are evictable through the reentrant lock); takes the cache lock, never
     * waits for a file lock while holding it, and does the write-back under
     * the victim's file lock only.
     */
    private Frame takeFrame() throws FsError {
        while (true) {
            Page victim = null;
            lock.lock();
            try {
                if (closed) throw new FsError(Errno.EIO);
                if (free.isEmpty() && allocatedFrames < maxFrames) grow();
                if (!free.isEmpty()) return free.pop();
                // Second chance: a page referenced since the scan last passed it moves to the recent
                // end instead. Each page is looked at most twice, so the scan ends.
                long budget = 2 * (allocatedFrames - free.size()) + 1;
                for (Page v = lru.next; v != lru && budget-- > 0; ) {
                    Page next = v.next;
                    if (v.file.lock.tryLock()) {
                        if (!v.referenced) {
                            unlink(v);
                            victim = v;
                            break;
                        }
                        v.referenced = false;
                        v.file.lock.unlock();
                        unlink(v);
                        linkMostRecent(v);
                    }
                    v = next;
                }
                if (victim == null && lru.next == lru) throw new FsError(Errno.ENOMEM);
            } finally {
                lock.unlock();
            }
            if (victim == null) {
                // Every cached page belongs to a file another thread is using; it finishes soon.
                Thread.yield();
                continue;
            }
            CachedFile vf = victim.file;
            try {
                if (victim.dirty) {
                    try {
                        vf.writeAround(victim);
                    } catch (FsError e) {
                        if (vf.pendingError == 0) vf.pendingError = e.errno;
                    }
                    if (victim.dirty) {
                        victim.dirty = false; // its data is lost; the error above tells the next fsync or close
                        vf.dirtyPages--;
                    }
                }
                vf.pages.remove(victim);
                evictions.increment();
                forgetIfUnused(vf);
            } finally {
                vf.lock.unlock();
            }
            return victim.frame;
        }
    }

    /** Adds a slab of frames to the free list. Caller holds the cache lock. */
    private void grow() {
        int n = (int) Math.min(SLAB_PAGES, maxFrames - allocatedFrames);
        MemorySegment slab;
        try {
            slab = arena.allocate((long) n * PAGE_SIZE, PAGE_SIZE);
        } catch (OutOfMemoryError e) {
            maxFrames = allocatedFrames; // the host has no more: live with what we have
            return;
        }
        // Pushed from the top down, so that they are taken in increasing address order: a file read or
        // written sequentially then lies in ascending memory, which the CPU's prefetchers stream well
        // (descending frames made copies of uncached pages about a third slower).
        for (int i = n - 1; i >= 0; i--) free.push(new Frame(slab, (long) i * PAGE_SIZE));
        allocatedFrames += n;
    }

    /** Frees every page of {@code f}, dirty or not. Caller holds {@code f.lock}. */
    private void dropPages(CachedFile f) {
        if (f.pages.isEmpty()) return;
        // Freed in decreasing address order, so that they are taken again in increasing order (see grow).
        List<Page> dropped = new ArrayList<>(f.pages.size());
        f.pages.forEachInOrder(dropped::add);
        dropped.sort(Comparator.comparingLong((Page p) -> p.frame.address()).reversed());
        lock.lock();
        try {
            for (Page p : dropped) {
                unlink(p);
                free.push(p.frame);
            }
        } finally {
            lock.unlock();
        }
        f.pages.clear();
        f.pagesDropped();
    }

    /** Removes {@code f} from the registry if it has neither descriptors nor pages. Caller holds {@code f.lock}. */
    private void forgetIfUnused(CachedFile f) {
        lock.lock();
        try {
            if (f.refs == 0 && f.pages.isEmpty()) files.remove(f.key, f);
        } finally {
            lock.unlock();
        }
    }

    private static boolean sameHostContent(Stat before, Stat now) {
        return before != null && before.size() == now.size()
                && before.mtimeSec() == now.mtimeSec() && before.mtimeNsec() == now.mtimeNsec()
                && before.ctimeSec() == now.ctimeSec() && before.ctimeNsec() == now.ctimeNsec();
    }

    private void linkMostRecent(Page p) {
        p.prev = lru.prev;
        p.next = lru;
        lru.prev.next = p;
        lru.prev = p;
    }

    private static void unlink(Page p) {
        if (p.prev == null) return;
        p.prev.next = p.next;
        p.next.prev = p.prev;
        p.prev = p.next = null;
    }
}
