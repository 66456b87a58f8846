package ring0.asm;

import java.util.List;
import ring0.abi.Service;
import ring0.elf.ElfImage;

/**
 * An assembled program image, ready to be written as an ELF file.
 *
 * <p>Image layout (offsets are relative to the image base, which is where
 * {@code .text} starts; the code is position-independent and only refers to
 * the rest of the image RIP-relatively, so the whole image may be loaded at
 * any page-aligned address):
 * <pre>
 *   0                   .text          typed program code (read+execute)
 *   rwOffset            .ring0.imports the limit word (compared with rsp by every poll)
 *   rwOffset + 8                       a reserved word (zero in the file; the runtime's)
 *   rwOffset + 16 + 8i                 import slot i, in {@link #imports} order
 *   dataOffset          .data          initialised data
 * </pre>
 * Everything from {@code rwOffset} on is read+write. {@code rwOffset} is
 * page-aligned (4096) and at least {@code text.length}; {@code dataOffset} is
 * {@link #dataOffsetFor}: the end of the slots rounded up to 16. The layout is
 * the trusted reader's ({@link ElfImage}); this class only delegates to it.
 *
 * @param sourceName  name of the source file, for diagnostics
 * @param text        machine code of the {@code .text} section
 * @param rwOffset    image offset of the read-write region (the limit word)
 * @param imports     imported kernel services, one slot each
 * @param dataOffset  image offset of {@code .data}
 * @param data        contents of {@code .data}
 * @param symbols     every label, with its image offset and size
 * @param entryOffset image offset of the entry label (in {@code .text})
 * @param annotations type annotations, as written
 * @param types       contents of the {@code .ring0.types} section (docs/types.md §11), or
 *                    {@code null} for an untyped program; {@link ElfWriter#write(Program)} writes it
 */
public record Program(
        String sourceName,
        byte[] text,
        int rwOffset,
        List<Service> imports,
        int dataOffset,
        byte[] data,
        List<Symbol> symbols,
        int entryOffset,
        List<Annotation> annotations,
        byte[] types) {

    public Program {
        imports = List.copyOf(imports);
        symbols = List.copyOf(symbols);
        annotations = List.copyOf(annotations);
    }

    /** An untyped program: one without a {@code .ring0.types} section. */
    public Program(String sourceName, byte[] text, int rwOffset, List<Service> imports, int dataOffset, byte[] data,
                   List<Symbol> symbols, int entryOffset, List<Annotation> annotations) {
        this(sourceName, text, rwOffset, imports, dataOffset, data, symbols, entryOffset, annotations, null);
    }

    /** True if the program has a types section. */
    public boolean typed() { return types != null; }

    /** Image offset of import slot {@code i}. */
    public int slotOffset(int i) { return ElfImage.slotOffset(rwOffset, i); }

    /** Image offset of the limit word, which every poll compares with {@code rsp}. */
    public int limitOffset() { return rwOffset; }

    /** Image offset of the reserved word after the limit word. */
    public int reservedOffset() { return rwOffset + 8; }

    /** Image offset of import slot {@code i} when the read-write region starts at {@code rwOffset}. */
    public static int slotOffset(int rwOffset, int i) { return ElfImage.slotOffset(rwOffset, i); }

    /** Image offset of {@code .data} for a read-write region at {@code rwOffset} with {@code importCount} slots. */
    public static int dataOffsetFor(int rwOffset, int importCount) {
        return Math.toIntExact(ElfImage.dataOffsetFor(rwOffset, importCount));
    }

    /** Which part of the image a symbol lives in. */
    public enum Section { TEXT, DATA }

    /**
     * A label.
     *
     * @param name        full name (local labels {@code .x} under {@code f} are {@code f.x})
     * @param section     TEXT or DATA
     * @param imageOffset offset from the image base
     * @param size        bytes up to the next label in the same section (or the section end)
     */
    public record Symbol(String name, Section section, int imageOffset, int size) {}

    /**
     * A type annotation as written in the source, kept verbatim for the type
     * layer: a label's precondition, a {@code type} declaration, or a coercion
     * ({@code %...} line) that applies at the next instruction.
     *
     * @param kind        what the annotation is
     * @param label       the label it belongs to (precondition), the declared name
     *                    ({@code type}), or the enclosing label (coercion)
     * @param imageOffset image offset it applies to (label offset, or the next instruction); -1 for type declarations
     * @param text        the annotation text, without the surrounding syntax
     * @param file        source file
     * @param line        1-based line of the annotation's first character
     * @param column      1-based column of the annotation's first character
     */
    public record Annotation(Kind kind, String label, int imageOffset, String text, String file, int line, int column) {
        /** The three annotation forms. */
        public enum Kind { PRECONDITION, TYPE_DECL, COERCION }
    }
}
