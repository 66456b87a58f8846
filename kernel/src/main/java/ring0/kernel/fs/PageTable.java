package ring0.kernel.fs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * The cached pages of one file by page index (TRUSTED: the page cache's
 * bookkeeping).
 *
 * <p>Indexes are grouped in chunks of {@link #CHUNK} consecutive pages, each
 * an array, found through a hash map by chunk number; the chunk used last is
 * remembered. A sequential read or write of a record then costs one array
 * access per page and at most one map look-up per record, with no boxing of
 * indexes, while a sparse file still only holds the chunks it uses. An empty
 * chunk is dropped at once.
 *
 * <p>Locking: none of its own; the owner ({@link CachedFile}) guards it with
 * its file lock.
 */
final class PageTable {
    /** Pages per chunk (a power of two). */
    static final int CHUNK = 64;
    private static final int SHIFT = Integer.numberOfTrailingZeros(CHUNK);

    /** One chunk: its pages by index within the chunk, and how many are present. */
    private static final class Chunk {
        final Page[] pages = new Page[CHUNK];
        int count;
    }

    private final HashMap<Long, Chunk> chunks = new HashMap<>();
    /** The chunk last looked up, or {@code null}; its number is {@link #lastNumber}. */
    private Chunk last;
    private long lastNumber = -1;
    private int size;

    /** The page at {@code index}, or {@code null}. */
    Page get(long index) {
        Chunk c = chunk(index >>> SHIFT);
        return c == null ? null : c.pages[(int) (index & (CHUNK - 1))];
    }

    /** Puts {@code page} at its index; there must be none there yet. */
    void put(Page page) {
        long number = page.index >>> SHIFT;
        Chunk c = chunk(number);
        if (c == null) {
            c = new Chunk();
            chunks.put(number, c);
            last = c;
            lastNumber = number;
        }
        int slot = (int) (page.index & (CHUNK - 1));
        if (c.pages[slot] != null) throw new IllegalStateException("page cache: page " + page.index + " cached twice");
        c.pages[slot] = page;
        c.count++;
        size++;
    }

    /** Removes {@code page} if it is the one at its index. */
    void remove(Page page) {
        long number = page.index >>> SHIFT;
        Chunk c = chunk(number);
        int slot = (int) (page.index & (CHUNK - 1));
        if (c == null || c.pages[slot] != page) return;
        c.pages[slot] = null;
        size--;
        if (--c.count == 0) {
            chunks.remove(number);
            last = null;
            lastNumber = -1;
        }
    }

    /** Number of pages. */
    int size() { return size; }

    /** Whether there are no pages. */
    boolean isEmpty() { return size == 0; }

    /** Removes every page. */
    void clear() {
        chunks.clear();
        last = null;
        lastNumber = -1;
        size = 0;
    }

    /** Calls {@code action} on every page, in increasing index order. */
    void forEachInOrder(Consumer<Page> action) {
        long[] numbers = new long[chunks.size()];
        int i = 0;
        for (long n : chunks.keySet()) numbers[i++] = n;
        Arrays.sort(numbers);
        for (long n : numbers) {
            for (Page p : chunks.get(n).pages) if (p != null) action.accept(p);
        }
    }

    private Chunk chunk(long number) {
        if (number == lastNumber) return last;
        Chunk c = chunks.get(number);
        if (c != null) {
            last = c;
            lastNumber = number;
        }
        return c;
    }
}
