package ring0.kernel.proc;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ring0.kernel.load.NativeMemory;
import ring0.kernel.load.NativeMemoryException;

/**
 * TRUSTED. The memory of one process that system calls may touch: its
 * {@code .data}, its argument region and its heap, as a set of disjoint
 * regions ({@link #region}). The code, the limit word, the import slots and
 * the stack are deliberately absent: no system call can write them.
 *
 * <p>The heap serves {@code alloc}, {@code newbytes} and {@code newwords}
 * from chunks of fresh (so zeroed) anonymous memory, bump-allocated in 16-byte
 * steps and never reused, so every allocation is zeroed and lies inside one
 * region. Allocations count against the quota (the sum of the rounded sizes);
 * chunks are released when the process ends.
 *
 * <p>Locking: none. Only the process's own thread allocates and looks up
 * regions while it runs; {@link #close} runs after it ended.
 */
public final class AddressSpace implements AutoCloseable {
    /** Default quota, as in docs/kernel.md. */
    public static final long DEFAULT_QUOTA = 256L << 20;
    /** The largest quota: 2^47 bytes, the user half of the address space. */
    public static final long MAX_QUOTA = 1L << 47;
    private static final long CHUNK = 1L << 20;
    private static final long LARGE = CHUNK / 4;

    private final long quota;
    private final TreeMap<Long, MemorySegment> regions = new TreeMap<>();
    private final List<MemorySegment> chunks = new ArrayList<>();
    private MemorySegment last;
    private long used;
    private long bump, bumpEnd;
    private boolean closed;

    /** An empty address space with a quota of {@code quota} bytes. */
    public AddressSpace(long quota) {
        if (quota < 0 || quota > MAX_QUOTA) throw new IllegalArgumentException("quota " + quota);
        this.quota = quota;
    }

    /** Adds {@code seg} (not owned: the caller unmaps it) as a region system calls may touch. */
    public void addRegion(MemorySegment seg) {
        if (seg.byteSize() == 0) return;
        var below = regions.floorEntry(seg.address() + seg.byteSize() - 1);
        if (below != null && below.getValue().address() + below.getValue().byteSize() > seg.address()) {
            throw new IllegalStateException("overlapping regions");
        }
        regions.put(seg.address(), seg);
    }

    /**
     * The region holding all of {@code [addr, addr + len)}, or {@code null}.
     * {@code len} is unsigned; ranges that wrap around are never inside.
     */
    public MemorySegment region(long addr, long len) {
        MemorySegment r = last;
        if (r == null || !inside(r, addr, len)) {
            Map.Entry<Long, MemorySegment> e = regions.floorEntry(addr);
            if (e == null || !inside(e.getValue(), addr, len)) return null;
            r = last = e.getValue();
        }
        return r;
    }

    private static boolean inside(MemorySegment r, long addr, long len) {
        long off = addr - r.address();
        return Long.compareUnsigned(off, r.byteSize()) < 0 && Long.compareUnsigned(len, r.byteSize() - off) <= 0;
    }

    /**
     * {@code size} bytes (unsigned) of fresh zeroed memory, 16-byte aligned
     * (a request for 0 bytes still gets 16, so every result is distinct).
     *
     * @throws QuotaExceeded if the quota does not cover it
     * @throws NativeMemoryException if the host refuses memory
     */
    public long allocate(long size) throws QuotaExceeded, NativeMemoryException {
        if (Long.compareUnsigned(size, quota - used) > 0) throw new QuotaExceeded(size, used, quota);
        long rounded = Math.max(16, (size + 15) & -16L);
        if (rounded > quota - used) throw new QuotaExceeded(size, used, quota);
        long addr;
        if (rounded >= LARGE) {
            MemorySegment m = map(NativeMemory.pageAlign(rounded));
            addr = m.address();
        } else {
            if (bumpEnd - bump < rounded) {
                MemorySegment m = map(CHUNK);
                bump = m.address();
                bumpEnd = bump + CHUNK;
            }
            addr = bump;
            bump += rounded;
        }
        used += rounded;
        return addr;
    }

    private MemorySegment map(long size) throws NativeMemoryException {
        MemorySegment m = NativeMemory.map(size, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        chunks.add(m);
        addRegion(m);
        return m;
    }

    /** Bytes allocated so far. */
    public long used() { return used; }

    /** The quota in bytes. */
    public long quota() { return quota; }

    /** Releases the heap. The other regions belong to their owners. */
    @Override
    public void close() throws NativeMemoryException {
        if (closed) return;
        closed = true;
        NativeMemoryException first = null;
        for (MemorySegment m : chunks) {
            try {
                NativeMemory.unmap(m);
            } catch (NativeMemoryException e) {
                if (first == null) first = e;
            }
        }
        chunks.clear();
        regions.clear();
        last = null;
        if (first != null) throw first;
    }
}
