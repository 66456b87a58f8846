package ring0.elf;

import java.util.List;
import ring0.abi.Service;

/**
 * The program image of a validated ring0 executable, as {@link ElfReader}
 * found it. Offsets are relative to the image base (the start of
 * {@code .text}); see {@code docs/abi.md} for the layout. The arrays are fresh
 * copies owned by the caller.
 *
 * <p>The read-write region starts at {@code rwOffset} with two control words,
 * then the import slots, then {@code .data}:
 * <pre>
 *   rwOffset + 0        the limit word: every poll compares rsp with it
 *   rwOffset + 8        reserved for the runtime (zero in the file)
 *   rwOffset + 16 + 8i  import slot i
 *   dataOffset          .data, at the 16-aligned end of the slots
 * </pre>
 * This record is the one place that knows that layout; the assembler's
 * {@code Program} and the checker's {@code Layout} delegate to it.
 *
 * @param textVaddr        link-time virtual address of {@code .text}, page-aligned
 * @param text             contents of {@code .text}
 * @param rwOffset         image offset of the read-write region: the limit word, the reserved word,
 *                         the import slots (page-aligned, at least {@code text.length})
 * @param imports          the imported services, one 8-byte slot each, in slot order
 * @param dataOffset       image offset of {@code .data}
 * @param data             contents of {@code .data}
 * @param entryOffset      image offset of the program's entry label (inside {@code .text})
 * @param symbols          text and data labels from {@code .symtab}, in table order; for
 *                         listings only: nothing that decides safety may rely on them
 * @param types            raw contents of {@code .ring0.types}, or {@code null} if absent
 * @param textFileOffset   file offset of {@code .text}, for diagnostics
 * @param typesFileOffset  file offset of {@code .ring0.types}, or -1 if absent
 */
public record ElfImage(
        long textVaddr,
        byte[] text,
        int rwOffset,
        List<Service> imports,
        int dataOffset,
        byte[] data,
        int entryOffset,
        List<Symbol> symbols,
        byte[] types,
        long textFileOffset,
        long typesFileOffset) {

    public ElfImage {
        imports = List.copyOf(imports);
        symbols = List.copyOf(symbols);
    }

    /** Bytes of control words (the limit word and the reserved word) before the first import slot. */
    public static final int CONTROL_WORDS_SIZE = 16;

    /** Image offset of the limit word, the first word of the read-write region. */
    public int limitOffset() { return rwOffset; }

    /** Image offset of the reserved word, which follows the limit word. */
    public int reservedOffset() { return rwOffset + 8; }

    /** Image offset of import slot {@code i}. */
    public int slotOffset(int i) { return slotOffset(rwOffset, i); }

    /** Image offset of import slot {@code i} in a read-write region at {@code rwOffset}. */
    public static int slotOffset(int rwOffset, int i) { return rwOffset + CONTROL_WORDS_SIZE + 8 * i; }

    /** Image offset of {@code .data} after a read-write region at {@code rwOffset} with {@code importCount} slots. */
    public static long dataOffsetFor(long rwOffset, int importCount) {
        return (rwOffset + CONTROL_WORDS_SIZE + 8L * importCount + 15) / 16 * 16;
    }

    /** Size of the whole image: text, slots and data, with the gaps between them. */
    public int imageSize() { return dataOffset + data.length; }

    /**
     * A label from the symbol table.
     *
     * @param name        symbol name (printable ASCII)
     * @param imageOffset offset from the image base
     * @param size        size in bytes
     * @param code        true for a {@code .text} label, false for a {@code .data} label
     */
    public record Symbol(String name, int imageOffset, int size, boolean code) {}
}
