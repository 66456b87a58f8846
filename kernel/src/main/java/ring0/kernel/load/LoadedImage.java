package ring0.kernel.load;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.IntToLongFunction;

/**
 * TRUSTED. A program image in executable memory of this process: one mapping
 * keeping the ELF's relative layout, so RIP-relative references work at any
 * base. It is written while read+write, then {@code .text} is made
 * read+execute before anything runs, so code is never writable while it can
 * run; the read-write region (limit word, reserved word, slots, data) stays
 * read+write.
 *
 * <p>Locking: the limit word may be stored by any thread at any time (kill,
 * time limit); everything else is fixed after {@link #load}.
 */
public final class LoadedImage implements AutoCloseable {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final ProgramImage image;
    private final MemorySegment mapping;
    private boolean closed;

    private LoadedImage(ProgramImage image, MemorySegment mapping) {
        this.image = image;
        this.mapping = mapping;
    }

    /**
     * Maps {@code image}: copies text and data, stores {@code slot.applyAsLong(i)}
     * in import slot {@code i} and {@code limit} in the limit word, then
     * makes {@code .text} read+execute.
     */
    public static LoadedImage load(ProgramImage image, IntToLongFunction slot, long limit) throws LoadException {
        long size = NativeMemory.pageAlign(image.size());
        MemorySegment m;
        try {
            m = NativeMemory.map(size, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        } catch (NativeMemoryException e) {
            throw new LoadException("cannot map the program image", e);
        }
        try {
            MemorySegment.copy(MemorySegment.ofArray(image.text()), 0, m, 0, image.text().length);
            MemorySegment.copy(MemorySegment.ofArray(image.data()), 0, m, image.dataOffset(), image.data().length);
            m.set(ValueLayout.JAVA_LONG, image.limitOffset(), limit);
            for (int i = 0; i < image.imports().size(); i++) {
                m.set(ValueLayout.JAVA_LONG, image.slotOffset(i), slot.applyAsLong(i));
            }
            NativeMemory.protect(m, 0, image.rwOffset(), NativeMemory.PROT_READ | NativeMemory.PROT_EXEC);
        } catch (NativeMemoryException | RuntimeException e) {
            try {
                NativeMemory.unmap(m);
            } catch (NativeMemoryException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof NativeMemoryException ne) throw new LoadException("cannot protect the program text", ne);
            throw (RuntimeException) e;
        }
        return new LoadedImage(image, m);
    }

    /** The image base: the address of image offset 0. */
    public long base() { return mapping.address(); }

    /** Address of the entry label. */
    public long entry() { return base() + image.entryOffset(); }

    /** Stores {@code value} in the limit word: the next poll compares rsp with it. */
    public void setLimit(long value) {
        WORD.setVolatile(mapping, (long) image.limitOffset(), value);
    }

    /** The limit word. */
    public long limit() { return (long) WORD.getVolatile(mapping, (long) image.limitOffset()); }

    /** The word in import slot {@code i}. */
    public long slot(int i) { return mapping.get(ValueLayout.JAVA_LONG, image.slotOffset(i)); }

    /** The program's {@code .data} as mapped: the only part of the image a system call may read or write. */
    public MemorySegment data() { return mapping.asSlice(image.dataOffset(), image.data().length); }

    /** The layout this image was loaded from. */
    public ProgramImage image() { return image; }

    /** Unmaps the image. Only when the program is not running. */
    @Override
    public synchronized void close() throws NativeMemoryException {
        if (closed) return;
        closed = true;
        NativeMemory.unmap(mapping);
    }
}
