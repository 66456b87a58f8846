package ring0.kernel.fs;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kernel last found at a plain path: a regular file, a directory,
 * or a symbolic link on the way ({@link Stat#type} bits; the last means "take
 * the walk", which is always right). Only a hint, like the {@code fstatat} it saves:
 * it chooses whether {@link Vfs} opens a path at once, and the type of what
 * is then opened is checked on the new descriptor, so a stale entry costs a
 * retry, never a wrong answer. A stale entry does widen one window: a fifo
 * or device node that a host process puts where the kernel found a regular
 * file is opened (without blocking) before it is refused, at the next open
 * of that path rather than only within microseconds of an {@code fstatat}.
 *
 * <p>At most {@link #MAX} entries; when full, it starts over.
 * Thread safety: a concurrent map; any number of threads.
 */
final class TypeHints {
    /** Most paths remembered. */
    static final int MAX = 4096;

    private final ConcurrentHashMap<String, Integer> types = new ConcurrentHashMap<>();

    /** The type last found at {@code path}, or 0. */
    int get(byte[] path) {
        Integer t = types.get(key(path));
        return t == null ? 0 : t;
    }

    /**
     * Remembers that {@code path} named a regular file or directory
     * ({@code type}), or ({@link Stat#S_IFLNK}) that the host met a symbolic
     * link resolving it, so the walk must resolve it.
     */
    void put(byte[] path, int type) {
        if (type != Stat.S_IFREG && type != Stat.S_IFDIR && type != Stat.S_IFLNK) return;
        if (types.size() >= MAX) types.clear();
        types.put(key(path), type);
    }

    /** Forgets {@code path}. */
    void forget(byte[] path) {
        types.remove(key(path));
    }

    /** One char per byte: distinct byte strings, distinct keys. */
    private static String key(byte[] path) {
        return new String(path, StandardCharsets.ISO_8859_1);
    }
}
