package ring0.elf;

import java.util.List;
import ring0.abi.Service;

/**
 * The program image of a validated ring0 executable, as {@link ElfReader}
 * found it. Offsets are relative to the image base (the start of
 * {@code .text}); see {@code docs/abi.md} for the layout. The arrays are fresh
 * copies owned by the caller.
 *
 * @param textVaddr        link-time virtual address of {@code .text}, page-aligned
 * @param text             contents of {@code .text}
 * @param rwOffset         image offset of the import slots (page-aligned, at least {@code text.length})
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

    /** Image offset of import slot {@code i}. */
    public int slotOffset(int i) { return rwOffset + 8 * i; }

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
