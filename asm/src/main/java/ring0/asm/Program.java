package ring0.asm;

import java.util.List;
import ring0.abi.Service;

/**
 * An assembled program image, ready to be written as an ELF file.
 *
 * <p>Image layout (offsets are relative to the image base, which is where
 * {@code .text} starts; the code is position-independent and only refers to
 * the rest of the image RIP-relatively, so the whole image may be loaded at
 * any page-aligned address):
 * <pre>
 *   0            .text          typed program code (read+execute)
 *   rwOffset     .ring0.imports import slots, 8 bytes each, in {@link #imports} order (read+write)
 *   dataOffset   .data          initialised data (read+write)
 * </pre>
 * {@code rwOffset} is page-aligned (4096) and at least {@code text.length};
 * {@code dataOffset = rwOffset + 8 * imports.size()} rounded up to 16.
 *
 * @param sourceName  name of the source file, for diagnostics
 * @param text        machine code of the {@code .text} section
 * @param rwOffset    image offset of the import slots
 * @param imports     imported kernel services, one slot each
 * @param dataOffset  image offset of {@code .data}
 * @param data        contents of {@code .data}
 * @param symbols     every label, with its image offset and size
 * @param entryOffset image offset of the entry label (in {@code .text})
 * @param annotations type annotations, as written (parsed by the next stage)
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
        List<Annotation> annotations) {

    public Program {
        imports = List.copyOf(imports);
        symbols = List.copyOf(symbols);
        annotations = List.copyOf(annotations);
    }

    /** Image offset of import slot {@code i}. */
    public int slotOffset(int i) { return rwOffset + 8 * i; }

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
