package ring0.kernel.fs;

/**
 * One cached 4 KiB page of a host file: its frame of native memory, its
 * place in the file and in the cache's LRU list.
 */
final class Page {
    final CachedFile file;
    final long index;
    /** {@link PageCache#PAGE_SIZE} bytes of native memory, owned by the cache. */
    final PageCache.Frame frame;

    /** The frame holds bytes the host file does not have yet. Guarded by {@code file.lock}. */
    boolean dirty;

    /** Hit since eviction's scan last passed this page. Guarded by {@code file.lock}. */
    boolean referenced;

    /** Neighbours in the LRU list; both {@code null} while the page is not in it. Guarded by the cache lock. */
    Page prev, next;

    Page(CachedFile file, long index, PageCache.Frame frame) {
        this.file = file;
        this.index = index;
        this.frame = frame;
    }

    /** File offset of the page's first byte. */
    long start() { return index * PageCache.PAGE_SIZE; }
}
