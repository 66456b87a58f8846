package ring0.kernel.load;

import java.util.HashSet;
import java.util.List;
import ring0.abi.Service;
import ring0.elf.ElfImage;

/**
 * TRUSTED. What the loader needs of a program: its code, its read-write
 * region's layout, its imports by name, its data and its entry. Offsets are
 * image offsets (docs/abi.md §1). The read-write region starts at
 * {@code rwOffset} with the limit word, a reserved word and one slot per
 * import ({@code ring0.verify.Layout}); {@code .data} follows at
 * {@code dataOffset}.
 *
 * <p>The arrays are not copied: the loader only reads them.
 *
 * @param text        the code, non-empty
 * @param rwOffset    page-aligned, at least {@code text.length}
 * @param imports     import names in slot order, distinct
 * @param dataOffset  16-byte aligned, at or after the last slot
 * @param data        the initial data
 * @param entryOffset the entry label, inside {@code text}
 */
public record ProgramImage(byte[] text, int rwOffset, List<String> imports, int dataOffset, byte[] data, int entryOffset) {
    /** Bytes before the first slot: the limit word and the reserved word. */
    public static final int SLOTS_AT = 16;
    /** The largest image the loader maps (the assembler's limits are far below). */
    public static final long MAX_IMAGE = 1L << 30;

    /** @throws IllegalArgumentException if the layout is inconsistent */
    public ProgramImage {
        imports = List.copyOf(imports);
        if (text.length == 0) throw new IllegalArgumentException("empty .text");
        if (rwOffset < text.length || rwOffset % NativeMemory.PAGE != 0) {
            throw new IllegalArgumentException("read-write region at 0x" + Integer.toHexString(rwOffset) + " is not page-aligned after .text");
        }
        if (new HashSet<>(imports).size() != imports.size()) throw new IllegalArgumentException("duplicate import");
        long slotsEnd = (long) rwOffset + SLOTS_AT + 8L * imports.size();
        if (dataOffset < slotsEnd || dataOffset % 16 != 0) {
            throw new IllegalArgumentException(".data at 0x" + Integer.toHexString(dataOffset)
                    + " overlaps the limit word and import slots (they end at 0x" + Long.toHexString(slotsEnd) + ")");
        }
        if ((long) dataOffset + data.length > MAX_IMAGE) throw new IllegalArgumentException("image larger than 1 GiB");
        if (entryOffset < 0 || entryOffset >= text.length) throw new IllegalArgumentException("entry outside .text");
    }

    /**
     * The loader's view of an image the trusted ELF reader produced.
     *
     * @throws LoadException if the image does not have the kernel's layout
     *         (e.g. an executable from before the limit word existed)
     */
    public static ProgramImage of(ElfImage image) throws LoadException {
        try {
            return new ProgramImage(image.text(), image.rwOffset(),
                    image.imports().stream().map(Service::importName).toList(),
                    image.dataOffset(), image.data(), image.entryOffset());
        } catch (IllegalArgumentException e) {
            throw new LoadException("cannot load: " + e.getMessage());
        }
    }

    /** Image offset of the limit word. */
    public int limitOffset() { return rwOffset; }

    /** Image offset of import slot {@code i}. */
    public int slotOffset(int i) { return rwOffset + SLOTS_AT + 8 * i; }

    /** Bytes from the image base to the end of {@code .data}. */
    public long size() { return (long) dataOffset + data.length; }
}
