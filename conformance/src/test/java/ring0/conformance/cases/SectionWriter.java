package ring0.conformance.cases;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@code .ring0.types} section in the format of {@code docs/types.md}
 * section 11, written here from the document (not with the assembler's code),
 * so that the checker's reader is tested against the specification.
 */
final class SectionWriter {
    private SectionWriter() {}

    static final byte[] MAGIC = {'R', '0', 'T', 'Y', 'P', 'E', 'S', 0};
    static final int VERSION = 1;

    /** A label record. */
    record Label(long offset, String name, String precondition) {}

    /** A data record; {@code kind} is 1 bytes, 2 words, 3 word. */
    record Data(long offset, String name, int kind, long length) {}

    /** A coercion record. */
    record Coercion(long offset, String text) {}

    /** The section for the given records, in the given order, with format version {@code version}. */
    static byte[] write(int version, List<Case.TypeDecl> types, List<Label> labels, List<Data> data, List<Coercion> coercions) {
        Out o = new Out();
        o.bytes(MAGIC);
        o.u32(version);
        o.u32(types.size());
        for (Case.TypeDecl t : types) {
            o.str(t.name());
            o.str(t.definition());
        }
        o.u32(labels.size());
        for (Label l : labels) {
            o.u32(l.offset());
            o.str(l.name());
            o.str(l.precondition());
        }
        o.u32(data.size());
        for (Data d : data) {
            o.u32(d.offset());
            o.str(d.name());
            o.u8(d.kind());
            o.u64(d.length());
        }
        o.u32(coercions.size());
        for (Coercion c : coercions) {
            o.u32(c.offset());
            o.str(c.text());
        }
        return o.toByteArray();
    }

    /** Applies the byte-level edits ({@code truncate}, {@code append}, {@code poke}) of a case to {@code section}. */
    static byte[] damage(byte[] section, List<Case.Edit> edits) {
        byte[] s = section;
        for (Case.Edit e : edits) {
            switch (e) {
                case Case.Edit.Truncate t -> s = Arrays.copyOf(s, Math.max(0, s.length - t.count()));
                case Case.Edit.Append a -> {
                    byte[] n = Arrays.copyOf(s, s.length + a.bytes().length);
                    System.arraycopy(a.bytes(), 0, n, s.length, a.bytes().length);
                    s = n;
                }
                case Case.Edit.Poke p -> {
                    s = s.clone();
                    System.arraycopy(p.bytes(), 0, s, p.offset(), p.bytes().length);
                }
                case Case.Edit.LabelOffset x -> { }
                case Case.Edit.ExtraLabel x -> { }
                case Case.Edit.ExtraCoercion x -> { }
                case Case.Edit.DataOffset x -> { }
                case Case.Edit.NoSection x -> { }
                case Case.Edit.Version x -> { }
            }
        }
        return s;
    }

    /** Little-endian output. */
    private static final class Out extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void u32(long v) {
            for (int i = 0; i < 4; i++) write((int) (v >>> (8 * i)));
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i)));
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            bytes(b);
        }
    }
}
